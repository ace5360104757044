"""Work for the crash test to decide: May Day medal cases (the district's
`mayday-individual` campaign kind, made from its starter where the demo has
not made it) of a campaign of its own, `mayday-crash`, waiting at each step
(the chairs' confirmation, the intermediate and the district reviews, the
district's final decision after a public notice that passed), made
through the kinds' real services and the engine's decisions. Run inside
the installation:

    manage.py shell -c "from tests.reliability.workload import prepare; prepare(20)"
"""

import datetime

from django.contrib.auth import get_user_model
from django.test.utils import override_settings
from django.utils import timezone

from awards.kinds import cases as case_services
from awards.kinds import services
from awards.kinds.models import CampaignKind, KindCaseState as S
from awards.kinds.notices import do_publish_notice
from awards.kinds.starter_kinds import starter
from awards.roles import Role
from workflows.dataforms.identity import id_check_character
from workflows.models import Membership, Organisation, Quota
from workflows.notices.services import close_notice
from workflows.signoffs.services import pending_departments
from workflows.steps.decisions import decide

CAMPAIGN = "mayday-crash"
KINDS = ("mayday-unit", "mayday-individual", "mayday-team")
# The kinds' states where a case stops; "deciding" passes the notice, which
# prepare() publishes and closes for all of them at once.
WAITING = (S.CONFIRMING, S.INTERMEDIATE, S.DISTRICT, S.DECIDING)
# The demo's grassroots unions, each with a submitter and a chair
# (`<code>_submit`, `<code>_chair`), under chengguan and quzhi.
UNITS = ("yiyuan", "xiaoxue", "shuiwu", "jixie", "fangzhi", "gongdian", "jianzhu")
INTERMEDIATE_REVIEWERS = {"chengguan": "cg_review", "quzhi": "qzjg_review"}
# Far from the demo's own candidates.
FIRST_INDEX = 90000


def _id_number(n):
    """A valid ID number of its own per case (one active case per person),
    born on `_birth(n)`."""
    first17 = f"520101{_birth(n):%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_character(first17)


def _birth(n):
    return datetime.date(1970, 1, 1) + datetime.timedelta(days=n % 7000)


def _answers(n, unit):
    return {
        "gender": "M" if n % 2 else "F", "ethnicity": "汉族", "birth_date": _birth(n).isoformat(),
        "id_number": _id_number(n), "political_status": "cpc", "education": "bachelor", "sector": unit.sector,
        "work_unit": unit.name.removesuffix("工会"), "post": "技术员", "job_title": "技师",
        "candidate_category": "front_line", "deeds": "扎根一线，勇于创新，技术攻关成绩突出。" * 4,
        "summary": "技术攻关成绩突出。", "congress_discussed_on": "2024-03-08", "contact_phone": "023-12345678",
    }


def open_campaign(district, admin, places):
    """The May Day campaign of the workload: the district's three May Day
    kinds (made from the starters where missing), `places` per
    intermediate union and kind."""
    versions = []
    for code in KINDS:
        kind = CampaignKind.objects.filter(district=district, code=code).first()
        if kind is None:
            versions.append(services.do_create_kind(district=district, code=code,
                                                    definition=starter(code).definition_for(district), actor=admin))
        else:
            versions.append(kind.versions.order_by("-number").first())
    year = timezone.localdate().year
    campaign = case_services.do_open_campaign(
        versions=versions, year=year, title=f"{year}年度五一劳动奖评选（崩溃测试）", code=CAMPAIGN, actor=admin,
        deadline=timezone.now() + datetime.timedelta(days=365))
    Quota.objects.bulk_create(
        Quota(scope=campaign, organisation=town, category=code, count=places)
        for town in Organisation.objects.filter(code__in=INTERMEDIATE_REVIEWERS) for code in KINDS)
    return campaign


def drive(campaign, version, n, unit, users, until):
    """Hand a medal case in for `unit` and decide it up to the state `until`."""
    submitter, chair = users[f"{unit.code}_submit"], users[f"{unit.code}_chair"]
    form = case_services.form_class(version)(_answers(n, unit))
    assert form.is_valid(), form.errors
    case = case_services.do_create_case(campaign=campaign, organisation=unit, name=f"崩溃测试{n:05d}", form=form,
                                        actor=submitter, submit=True, version=version)
    steps = [("confirm", chair), ("forward", users[INTERMEDIATE_REVIEWERS[unit.parent.code]]),
             ("approve", users["qz_review"])]
    for decision, actor in steps:
        if case.state == until:
            break
        decide(decision=decision, case=case, actor=actor, comment="同意推荐")
        case.refresh_from_db()
    # The demo's versions ask the departments of an enterprise candidate's
    # sector to sign off after the district's review: each agrees.
    while case.state == S.SIGNOFFS and until != S.SIGNOFFS:
        department = pending_departments(case)[0]
        officer = Membership.objects.filter(organisation_id=department, role=Role.DEPARTMENT).order_by("pk").first()
        decide(decision="agree", case=case, actor=officer.user, comment="无异议")
        case.refresh_from_db()
    return case


def prepare(per_step):
    """`per_step` cases waiting at each of the four steps."""
    users = {u.username: u for u in get_user_model().objects.all()}
    admin = users["qz_admin"]
    district = Organisation.objects.get(code="district")
    campaign = open_campaign(district, admin, places=10 * per_step + 100)
    [version] = [v for v in campaign.offered_versions if v.kind.code == "mayday-individual"]
    units = list(Organisation.objects.filter(code__in=UNITS).select_related("parent").order_by("code"))
    to_decide = []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for n in range(per_step * len(WAITING)):
            until = WAITING[n % len(WAITING)]
            case = drive(campaign, version, FIRST_INDEX + n, units[n % len(units)], users,
                         S.AWAITING_NOTICE if until == S.DECIDING else until)
            if until == S.DECIDING:
                to_decide.append(case)
        notice = do_publish_notice(campaign=campaign, actor=admin, cases=to_decide)
        close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
    print(f"prepared {per_step} cases at each of {len(WAITING)} steps")
