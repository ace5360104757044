"""Kinds of campaign generated for the tests: a form with every field of
the palette, and routes with each optional step on and off, ending in a
certificate (one printed as a plaque), an approved list or a payment
list; campaigns of them (on a scoring standard of the district where the
route has the inspectors' scoring) and cases driven by the engine's
services into each state their route has. Used by the access matrix and
the form fuzzing of generated kinds (test_generated_access.py) and by the
API and search tests."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards.kinds import cases as case_services
from awards.kinds import scoring
from awards.kinds.definition import FORMAT
from awards.kinds.models import KindCaseState as S
from awards.kinds.notices import do_publish_notice
from tests.awards.kinds.conftest import STANDARD, filled
from tests.conftest import PDF_BYTES
from workflows.scoring.standards import standard_create
from workflows.steps.decisions import decide


def every_field():
    """One field of each kind of the palette (the test that uses it fails
    when the palette grows and this list does not)."""
    choices = [{"value": "front_line", "label": "一线职工"}, {"value": "technical", "label": "技术人员"},
               {"value": "cadre", "label": "管理人员"}]
    return [
        {"key": "name", "type": "text", "label": "姓名", "required": True, "public": True, "max_length": 50},
        {"key": "deeds", "type": "long_text", "label": "主要事迹", "required": True, "public": True,
         "max_length": 2000},
        {"key": "years", "type": "number", "label": "从事工会工作年限", "required": True, "min": 0, "max": 60},
        {"key": "amount", "type": "money", "label": "申请金额（元）", "required": True, "max": "10000"},
        {"key": "since", "type": "date", "label": "参加工作时间", "required": False},
        {"key": "category", "type": "choice", "label": "人员类别", "required": True, "public": True,
         "choices": choices},
        {"key": "honours", "type": "multiple_choice", "label": "曾获荣誉", "required": False,
         "choices": [{"value": "city", "label": "市级"}, {"value": "province", "label": "省级"}]},
        {"key": "member", "type": "yes_no", "label": "是否工会会员", "required": True},
        {"key": "unit_sector", "type": "sector", "label": "所属经济类型", "required": False, "public": True},
        {"key": "unit", "type": "organisation", "label": "推荐单位", "required": False},
        {"key": "id_number", "type": "id_number", "label": "身份证号", "required": True},
        {"key": "mobile", "type": "mobile", "label": "手机号码", "required": True},
        {"key": "proof", "type": "file", "label": "证明材料", "required": False, "types": ["pdf", "png"],
         "max_mb": 5},
        {"key": "costs", "type": "items", "label": "费用明细", "required": False},
    ]


CERTIFICATE = {"layout": "default", "title": "生成的荣誉", "issuer": "区总工会",
               "wording": "{name}（{union}）在{campaign}中获评{year}年度{title}。",
               "number_format": "GEN{year}-{seq:04d}"}


@dataclass(frozen=True)
class Variant:
    """A generated kind: its route template and applicant, the template's
    optional steps it keeps, and what it ends in."""

    id: str
    template: str
    applicant: str
    steps: tuple
    certificate: bool = False
    approved_list: bool = False
    payment_list: bool = False
    outcomes: int = 2
    # Inspectors per case when the steps have the inspectors' scoring.
    inspectors: int = 0
    # The certificate's layout (the engine's registered layouts).
    layout: str = "default"


# Together they switch every optional step on and off: the chair's
# confirmation (honour: 1, 5 on; 2, 3 off; aid: always), the intermediate
# review (1, 4, 5 on; 2, 3 off), sign-offs (1, 3 on; others off), the
# notice (1, 4, 6 on; 2, 3, 5 off), the inspectors' scoring (honour: 6 on;
# 1, 2, 3 off), and every ending on and off (6 a plaque, the others the
# default certificate).
VARIANTS = (
    Variant("honour-every-step", "honour", "person",
            ("confirm", "intermediate_review", "district_review", "signoffs", "notice", "decision"),
            certificate=True, approved_list=True),
    Variant("honour-bare", "honour", "union", ("district_review", "decision"), payment_list=True),
    Variant("honour-signoffs-only", "honour", "person", ("district_review", "signoffs", "decision"),
            certificate=True, payment_list=True, outcomes=3),
    Variant("aid-every-step", "aid", "worker", ("confirm", "intermediate_review", "district_review", "notice",
                                                "decision"), approved_list=True, payment_list=True),
    Variant("aid-bare", "aid", "worker", ("confirm", "district_review", "decision"), certificate=True),
    Variant("honour-scoring", "honour", "union", ("district_review", "scoring", "notice", "decision"),
            certificate=True, inspectors=2, layout="plaque"),
)


def definition(variant, signoffs=()):
    outcomes = [{"value": "granted", "label": "授予", "positive": True},
                {"value": "refused", "label": "不予授予", "positive": False},
                {"value": "deferred", "label": "暂缓", "positive": False}][:variant.outcomes]
    steps = list(variant.steps)
    return {
        "format": FORMAT, "title": f"生成的类型 {variant.id}", "applicant": variant.applicant,
        "fields": every_field(),
        "route": {"template": variant.template, "steps": steps,
                  "signoffs": list(signoffs) if "signoffs" in steps else [],
                  **({"scoring": {"inspectors": variant.inspectors}} if "scoring" in steps else {}),
                  "notice_days": 5 if "notice" in steps else 0,
                  "deadline_days": {s: 5 for s in steps if s != "notice"},
                  "outcomes": outcomes},
        "ends_in": {"certificate": dict(CERTIFICATE, layout=variant.layout) if variant.certificate else None,
                    "approved_list": variant.approved_list, "payment_list": variant.payment_list},
    }


def answers(version, n=1, name=None):
    """Every field of `version`'s form answered as a person types it
    (conftest.filled), and a file for each file field."""
    data = filled(version, n, name=name)
    files = {spec["key"]: SimpleUploadedFile("证明材料.pdf", PDF_BYTES, content_type="application/pdf")
             for spec in version.definition["fields"] if spec["type"] == "file"}
    return data, files


def hand_in(campaign, *, organisation, submitter, n, submit=True, name=None):
    data, files = answers(campaign.offered_versions[0], n, name=name)
    form = case_services.form_class(campaign.offered_versions[0])(data, files)
    assert form.is_valid(), form.errors
    return case_services.do_create_case(campaign=campaign, organisation=organisation, name=name or f"候选人{n}",
                                        form=form, actor=submitter, submit=submit)


@dataclass
class People:
    """Who takes each step of a union's cases."""

    submitter: object
    chair: object
    intermediate: object
    district: object
    admin: object
    department: object = None
    # The district's inspectors assigned to score each case.
    inspectors: tuple = ()


def assign(case, people):
    """The district administrator assigns the people's inspectors."""
    scoring.do_assign_inspectors(case=case, actor=people.admin, inspectors=people.inspectors)


def score(case, inspector):
    """`inspector` submits their sheet on `case`: each scored item at half
    its points, no veto."""
    answers = {item.pk: {"score": None if item.is_veto else item.max_points / 2,
                         "veto": False if item.is_veto else None, "evidence": ""}
               for item in scoring.items_of(case)}
    scoring.do_save_scores(case=case, inspection=case.inspections.get(inspector=inspector), actor=inspector,
                           scores=answers, submit=True)


def score_all(case, people):
    for inspection in case.inspections.filter(submitted_at__isnull=True).select_related("inspector"):
        score(case, inspection.inspector)


# A step's state → (who takes it, the decision moving the case on), or the
# function taking the step through the process's own services.
FORWARD = {S.CONFIRMING: ("chair", "confirm"), S.INTERMEDIATE: ("intermediate", "forward"),
           S.DISTRICT: ("district", "approve"), S.SIGNOFFS: ("department", "agree"),
           S.ASSIGNING: assign, S.SCORING: score_all}


def drive(case, people, stop):
    """Move `case` on by the decisions each step's people take until it is
    in `stop` (or past the steps FORWARD knows)."""
    while case.state != stop and case.state in FORWARD:
        step = FORWARD[case.state]
        if callable(step):
            step(case, people)
        else:
            who, decision = step
            decide(case=case, actor=getattr(people, who), decision=decision)
        case.refresh_from_db()
    return case


def open_campaign(version, admin):
    """A campaign of `version`; on a scoring standard of its district (made
    through the engine's standards) when its route has the scoring."""
    standard, district = None, version.kind.district
    if scoring.inspectors_needed(version):
        # A standard's code is unique across districts, a kind's in its own.
        standard = standard_create(district=district, code=f"std-{district.code}-{version.kind.code}",
                                   name=f"{version.title} 考核标准", data=STANDARD, actor=admin)
    return case_services.do_open_campaign(versions=[version], year=timezone.localdate().year,
                                          title=f"{version.title} 评选", actor=admin,
                                          deadline=timezone.localdate() + datetime.timedelta(days=30),
                                          standard_version=standard)


def cases_in_every_state(campaign, organisation, people, first_n):
    """{state: case} of `organisation` in `campaign`: a draft, a case at
    each step of the route (with the scoring: awaiting its inspectors, and
    scored by the last of `people.inspectors` only, the others' sheets
    owed), returned, at each stage of the notice, granted (with its
    certificate when the version has one), not granted, not recommended
    and withdrawn."""
    from workflows.notices.services import close_notice

    route = campaign.offered_versions[0].definition["route"]["steps"]
    serial = iter(range(first_n, first_n + 100))

    def new(submit=True):
        return hand_in(campaign, organisation=organisation, submitter=people.submitter, n=next(serial),
                       submit=submit)

    found = {S.DRAFT: new(submit=False)}
    for state, step in ((S.CONFIRMING, "confirm"), (S.INTERMEDIATE, "intermediate_review"),
                        (S.DISTRICT, "district_review"), (S.SIGNOFFS, "signoffs")):
        if step in route:
            found[state] = drive(new(), people, state)
    if "scoring" in route:
        found[S.ASSIGNING] = drive(new(), people, S.ASSIGNING)
        found[S.SCORING] = drive(new(), people, S.SCORING)
        score(found[S.SCORING], people.inspectors[-1])
    # Past the reviews: to the notice, or straight to the final decision.
    finals = [drive(new(), people, S.AWAITING_NOTICE) for _ in range(3)]
    if "notice" in route:
        # Through a notice that has closed, to the final decision; then one
        # on notice now, and one awaiting the next notice.
        notice = do_publish_notice(campaign=campaign, actor=people.admin)
        close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
        found[S.IN_NOTICE] = drive(new(), people, S.AWAITING_NOTICE)
        do_publish_notice(campaign=campaign, actor=people.admin)
        found[S.AWAITING_NOTICE] = drive(new(), people, S.AWAITING_NOTICE)
    granted, not_granted, found[S.DECIDING] = (c.__class__.objects.get(pk=c.pk) for c in finals)
    decide(case=granted, actor=people.admin, decision="outcome_1")
    decide(case=not_granted, actor=people.admin, decision="outcome_2")
    found[S.GRANTED], found[S.NOT_GRANTED] = granted, not_granted
    returned = new()
    decide(case=drive(returned, people, S.DISTRICT), actor=people.district, decision="return",
           comment="请补充材料。")
    found[S.RETURNED] = returned
    rejected = new()
    decide(case=drive(rejected, people, S.DISTRICT), actor=people.district, decision="reject",
           comment="不符合条件。")
    found[S.REJECTED] = rejected
    found[S.WITHDRAWN] = new()
    case_services.do_withdraw_case(case=found[S.WITHDRAWN], actor=people.submitter)
    for case in found.values():
        case.refresh_from_db()
    assert {state: case.state for state, case in found.items()} == {state: state for state in found}
    return found
