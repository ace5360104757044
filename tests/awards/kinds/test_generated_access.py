"""Generated kinds of campaign in the access matrix and the form fuzzing.

The world's kind (tests/awards/kinds/access_entries.py) is one fixed
definition. Here the tests make kinds themselves (generated.py): a form
with every field of the palette, every optional step of the route
templates on and off (the inspectors' scoring on a standard of the
district among them), each ending (certificate, approved list, payment
list) on and off, a plaque too; a campaign of each in the demo's district
and in the other district, and cases in every state their route has. Their
URLs — the kind's pages and editor, the campaign's pages, lists and
quotas, the case's page, decision, revision, withdrawal, printed form,
attachment, API, certificate, the inspectors' assignment and score sheet —
are asked by every persona of the access matrix
(tests/test_access_matrix.py: another branch or district gets 404, never a
500), and their forms — the generated case form with every kind of field,
its revision, each step's decision, the inspectors' choice and score
sheet, the kind editor, the quotas — are fuzzed as in
tests/test_form_fuzzing.py (never a 500, every row stored valid). One test
per generated kind, so that `-k` picks one."""

import datetime
import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from awards.kinds import services
from awards.kinds.certificate_layouts import PLAQUE
from awards.kinds.models import KindCaseState as S
from tests.access_registry import FormEntry, checks, o, r, table
from tests.access_world import PERSONAS, World, _isolated_storage, world  # noqa: F401 (fixtures)
from tests.conftest import make_org, make_user
from tests.test_access_matrix import SLOTS, Matrix, walk
from tests.test_form_fuzzing import fuzz
from workflows.dataforms.palette import PALETTE
from workflows.models import Attachment, OrgKind, Organisation

from .generated import VARIANTS, People, cases_in_every_state, definition, every_field, hand_in, open_campaign

# The kinds of the world's objects the kinds' pages are asked about, and
# the engine's certificate pages (a kind's certificate is the engine's).
KINDS = {"campaign_kind", "kind_campaign", "kind_case", "kind_draft", "kind_attachment", "certificate"}
CASE_KINDS = {"kind_case", "kind_attachment", "certificate"}
# The case's pages in each further state are asked by the people of its
# branch, the district and a department, and by one persona of each other
# kind of place (a sibling union, another intermediate union, nobody's):
# whose the case is does not change with its state, what the pages do does.
STATE_PERSONAS = ("jixie_submit", "jixie_chair", "cg_review", "qz_review", "qz_admin", "dept_tax",
                  "fangzhi_submit", "qzjg_review", "outsider")
# The district's inspectors assigned to score A's cases where the route has
# the scoring (the first a persona of the matrix: it scores last); the demo's
# third inspector is assigned to none.
INSPECTORS = ("qz_inspect1", "qz_inspect2")
# Rendering a PDF is slow; the printed form is asked once per generated
# kind (with the first view and the granted case), not in every state.
PDF_PAGES = {"kinds:case_printed", "certificate_pdf"}


def test_every_field_of_the_palette_is_generated():
    assert sorted(spec["type"] for spec in every_field()) == sorted(PALETTE)


def test_every_optional_step_and_ending_is_on_and_off():
    from awards.kinds.routes import ROUTES

    for template in ROUTES.values():
        variants = [v for v in VARIANTS if v.template == template.code]
        for code in template.optional_codes:
            assert {code in v.steps for v in variants} == {True, False}, (template.code, code)
    for ending in ("certificate", "approved_list", "payment_list"):
        assert {getattr(v, ending) for v in VARIANTS} == {True, False}, ending
    # The certificate printed plain and as the kinds' own plaque.
    assert {v.layout for v in VARIANTS if v.certificate} == {"default", PLAQUE}


class Generated(World):
    """The world with a generated kind's objects in place of the fixed
    kind's: `obj` a copy of the world's, the kinds' entries replaced."""

    def __init__(self, world, objects):
        super().__init__()
        self.users, self.org = world.users, world.org
        # The world's certificates are May Day's: asked here only when
        # replaced by a generated kind's own.
        self.obj = {key: value for key, value in world.obj.items() if key[0] not in KINDS}
        self.obj.update(objects)


def _department(world, district_code, code):
    """A sign-off department of the district (and its officer)."""
    found = Organisation.objects.filter(code=code).first()
    if found is None:
        found = make_org(f"部门 {code}", code, OrgKind.DEPARTMENT, world.org[district_code])
        make_user(f"officer-{code}", (found, "department"))
    return found


def _build(world, variant):
    """The variant's kind in both districts, a campaign of each, and: in
    branch A a case in every state of its route, in B and X a case handed
    in and a draft. Returns ({state: case of A}, the world's objects)."""
    users = get_user_model().objects.in_bulk(field_name="username")
    objects, by_state, made = {}, {}, {}
    for slot, district, admin, union, submitter, chair, intermediate, department in (
            ("A", "district", "qz_admin", "jixie", "jixie_submit", "jixie_chair", "cg_review", "dept-tax"),
            ("B", "district", "qz_admin", "yiyuan", "yiyuan_submit", "yiyuan_chair", "qzjg_review", "dept-tax"),
            ("X", "other-district", "other_admin", "other-union", "other_submit", "other_chair", "other_review",
             "other-dept")):
        _department(world, district, department)
        # Each test's own, rolled back with it: one kind and campaign per
        # district (A and B share the demo's).
        if district not in made:
            version = services.do_create_kind(district=world.org[district], code=f"gen-{variant.id}",
                                              definition=definition(variant, signoffs=[department]),
                                              actor=users[admin])
            made[district] = version, open_campaign(version, users[admin])
        version, campaign = made[district]
        people = People(submitter=users[submitter], chair=users[chair], intermediate=users[intermediate],
                        district=users["qz_review"], admin=users[admin], department=users["dept_tax"],
                        inspectors=tuple(users[name] for name in INSPECTORS))
        objects["campaign_kind", slot] = version.kind
        objects["kind_campaign", slot] = campaign
        start = {"A": 1, "B": 300, "X": 600}[slot]
        if slot == "A":
            by_state = cases_in_every_state(campaign, world.org[union], people, start)
            case, draft = by_state[_first_state(variant)], by_state[S.DRAFT]
        else:
            case = hand_in(campaign, organisation=world.org[union], submitter=people.submitter, n=start)
            draft = hand_in(campaign, organisation=world.org[union], submitter=people.submitter, n=start + 1,
                            submit=False)
        objects["kind_case", slot], objects["kind_draft", slot] = case, draft
        objects["kind_attachment", slot] = _attachment(case)
    return by_state, objects


def _attachment(case):
    return Attachment.objects.filter(case_type__model="kindcase", case_id=case.pk).get()


def _first_state(variant):
    return {"confirm": S.CONFIRMING, "intermediate_review": S.INTERMEDIATE}.get(variant.steps[0], S.DISTRICT)


def _questions(kinds, *, pdf=True):
    return [c for c in checks() if c.kind in kinds and not c.name.startswith("awards:")
            and (pdf or c.name not in PDF_PAGES)]


def _certificate(case):
    from awards.kinds.endings import certificates_of

    return certificates_of(case).first()


def _unreachable(variant):
    """The pages of a generated kind nobody of its branch reaches: the
    lists its campaign does not end in (a 404 to everyone; a certificate
    brings the approved list), the score sheet of a route without the
    inspectors' scoring (nobody is assigned: a 404 to everyone), and the
    reissue of a certificate that stands (only a revoked one is reissued:
    test_endings.py)."""
    # The draft edit page is asked of the world's draft (tests/test_access_matrix.py)
    # and walked in test_drafts_and_deadlines.py; a generated case A is handed in.
    missing = {"kinds:certificate_reissue", "kinds:case_edit"}
    if not (variant.approved_list or variant.certificate):
        missing.add("kinds:approved_list")
    if not variant.payment_list:
        missing.add("kinds:payment_list")
    if "scoring" not in variant.steps:
        missing.add("kinds:case_score")
    return missing


@pytest.fixture(params=VARIANTS, ids=[v.id for v in VARIANTS])
def generated(world, db, request):
    """(variant, {state: case of A}, objects) of each generated kind, made
    in the test's transaction."""
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # refusals are the point
    return (request.param, *_build(world, request.param))


@pytest.fixture(params=[v for v in VARIANTS if "scoring" in v.steps], ids=lambda v: v.id)
def scored(world, db, request):
    """The same, of each generated kind whose route has the inspectors'
    scoring."""
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    return (request.param, *_build(world, request.param))


def _state_personas(variant):
    """Who asks the case's pages in each state: with the scoring, the
    assigned inspector too (the only one reaching the score sheet)."""
    return STATE_PERSONAS + (INSPECTORS[:1] if "scoring" in variant.steps else ())


def _walk_views(world, views):
    """Walk each (objects shown, questions, slots, personas) of `views`:
    (problems, labels reached by the object's branch, labels asked, requests)."""
    problems, seen, asked, requests = [], set(), set(), 0
    for shown, questions, slots, personas in views:
        view = Generated(world, shown)
        matrix = Matrix(view)
        walk(matrix, view, questions, personas=personas, slots=slots)
        problems += matrix.errors[:20] + matrix.leaks[:20]
        seen |= matrix.seen_by_someone
        asked |= {c.label for c in questions if any((c.kind, s) in shown for s in slots)}
        requests += matrix.requests
    return problems, seen, asked, requests


def test_generated_kind_in_the_access_matrix(world, generated):
    variant, by_state, objects = generated
    t = table()
    # Every page of the kind, its campaigns and cases, for each branch;
    # then the case's pages once more for each state of A's cases (a
    # state changes what a page does: a 500 hides in one state only).
    views = [(objects, _questions(KINDS - {"certificate"}), SLOTS, PERSONAS)]
    for state, case in by_state.items():
        if case == objects["kind_case", "A"]:
            continue  # asked with the first view
        shown = {("kind_case", "A"): case, ("kind_attachment", "A"): _attachment(case)}
        certificate = _certificate(case)
        if certificate is not None:
            shown["certificate", "A"] = certificate
        kinds = CASE_KINDS if certificate is not None else CASE_KINDS - {"certificate"}
        views.append((shown, _questions(kinds, pdf=state == S.GRANTED), ("A",), _state_personas(variant)))
    problems, seen, asked, requests = _walk_views(world, views)
    print(f"\n{variant.id}: {len(views)} views, {len(asked)} questions, {requests} requests")
    public = {label for label in asked if label.partition("[")[0] in t.public}
    unreached = sorted(asked - seen - public - _unreachable(variant))
    problems += [f"no persona of the object's branch reaches {label}" for label in unreached]
    assert not problems, "\n".join(problems)


def _forms(by_state):
    """The generated kind's forms, with the persona who may post each: the
    case form with every kind of field, its revision, each step's decision
    on a case in that step, the kind editor, the quotas, the buttons."""
    deciders = {S.CONFIRMING: "jixie_chair", S.INTERMEDIATE: "cg_review", S.DISTRICT: "qz_review",
                S.SIGNOFFS: "dept_tax", S.DECIDING: "qz_admin"}
    forms = {
        "kinds:case_new": FormEntry("jixie_submit", r("kinds:case_new", o("kind_campaign"))),
        "kinds:edit": FormEntry("qz_admin", r("kinds:edit", o("campaign_kind"))),
        "kinds:campaign_quotas": FormEntry("qz_admin", r("kinds:campaign_quotas", o("kind_campaign"))),
        "kinds:case_revise": FormEntry("jixie_submit", r("kinds:case_revise", o(f"kind_{S.RETURNED}"))),
        "kinds:case_submit": FormEntry("jixie_submit", r("kinds:case_submit", o("kind_draft")),
                                       r("kinds:case_detail", o("kind_draft")), button=True),
        "kinds:case_withdraw": FormEntry("jixie_submit", r("kinds:case_withdraw", o("kind_case")),
                                         r("kinds:case_detail", o("kind_case")), button=True),
    }
    if S.ASSIGNING in by_state:
        # The district administrator's choice of inspectors, and the sheet of
        # the assigned inspector whose scores are owed.
        forms["kinds:case_assign"] = FormEntry("qz_admin", r("kinds:case_assign", o(f"kind_{S.ASSIGNING}")))
        forms["kinds:case_score"] = FormEntry(INSPECTORS[0], r("kinds:case_score", o(f"kind_{S.SCORING}")))
    for state, persona in deciders.items():
        if state in by_state:
            # A department answers on its own sign-off page (awards/kinds/signoffs.py).
            page = "kinds:case_signoff" if state == S.SIGNOFFS else "kinds:case_decide"
            forms[f"{page}[{state}]"] = FormEntry(persona, r(page, o(f"kind_{state}")))
    return forms


def test_generated_kind_forms_fuzzed(world, generated):
    _variant, by_state, objects = generated
    objects.update({(f"kind_{state}", "A"): case for state, case in by_state.items()})
    view = Generated(world, objects)
    failures, fuzzed = [], []
    for name, entry in sorted(_forms(by_state).items()):
        answers, fields, failure = fuzz(name, entry, view)
        if failure:
            failures.append(failure)
        fuzzed.append(f"{name} ({len(fields)} fields: {sorted(set(answers or []))})")
    print("\n".join(fuzzed))
    assert not failures, "\n\n".join(failures)


def test_scoring_pages_answer_by_state(world, scored):
    """The matrix counts the district's people as of every case's branch;
    who of them reaches the scoring pages depends on the case's state and
    its inspectors: the administrator assigns a case awaiting them (any
    other state handed in: back to the case; a draft is the union's own),
    the reviewer never; only an assigned
    inspector reaches the sheet (once assigned, submitted or not), an
    inspector assigned to none of the cases reaches neither the sheet nor
    the case."""
    _variant, by_state, _objects = scored
    assigned = {S.SCORING, S.AWAITING_NOTICE, S.IN_NOTICE, S.DECIDING, S.GRANTED, S.NOT_GRANTED}
    assert assigned | {S.ASSIGNING} <= set(by_state)
    answers, expected = {}, {}
    for persona in ("qz_admin", "qz_review", INSPECTORS[0], "qz_inspect3"):
        client = Client()
        client.force_login(world.users[persona])
        for state, case in by_state.items():
            for name in ("kinds:case_assign", "kinds:case_score"):
                answers[persona, state, name] = client.get(reverse(name, args=[case.pk])).status_code
                expected[persona, state, name] = (
                    {S.ASSIGNING: 200, S.DRAFT: 404}.get(state, 302)
                    if (persona, name) == ("qz_admin", "kinds:case_assign")
                    else 200 if (persona, name) == (INSPECTORS[0], "kinds:case_score") and state in assigned
                    else 404)
            if persona == "qz_inspect3":
                answers[persona, state, "kinds:case_detail"] = client.get(case.get_absolute_url()).status_code
                expected[persona, state, "kinds:case_detail"] = 404
    assert answers == expected
    # The sheet scored and closed: posting it again changes nothing.
    case = by_state[S.DECIDING]
    client = Client()
    client.force_login(world.users[INSPECTORS[0]])
    total = case.inspections.get(inspector=world.users[INSPECTORS[0]]).total
    assert client.post(reverse("kinds:case_score", args=[case.pk]), {"action": "submit"}).status_code == 200
    assert case.inspections.get(inspector=world.users[INSPECTORS[0]]).total == total


# A May Day campaign (the three starters' kinds, docs/mayday-as-kinds.md) --------------
# May Day's pages are the kinds' pages of a May Day campaign: every kinds page
# asked about one (the demo's district: sign-offs of its tax, safety and audit
# departments for enterprise candidates; the other district: none), a medal's
# cases of branch A in every state, and its forms fuzzed as their users post them.

MAYDAY_DEPARTMENTS = {"dept-tax": "dept_tax", "dept-safety": "dept_safety", "dept-audit": "dept_audit"}


def _mayday_campaign(world, district, admin, *, code):
    from awards.kinds.cases import do_open_campaign
    from awards.kinds.models import CampaignKind
    from tests.conftest import MAYDAY_STARTERS, mayday_definition

    versions = []
    for starter in MAYDAY_STARTERS:
        definition = mayday_definition(starter, district, signoffs=district.code == "district")
        kind = CampaignKind.objects.filter(district=district, code=starter).first()
        versions.append(services.do_revise_kind(kind=kind, definition=definition, actor=admin) if kind else
                        services.do_create_kind(district=district, code=starter, definition=definition, actor=admin))
    return do_open_campaign(versions=versions, year=2026, title="2026年度五一劳动奖评选", code=code, actor=admin,
                            deadline=timezone.now() + datetime.timedelta(days=30))


def _mayday_case(campaign, union, submitter, n, *, kind="individual", submit=True):
    from awards.kinds import cases as case_services
    from tests.conftest import GROUP_ANSWERS, MEDAL_ANSWERS, valid_id_number

    [version] = [v for v in campaign.offered_versions if v.kind.code == f"mayday-{kind}"]
    answers = dict(MEDAL_ANSWERS, id_number=valid_id_number(f"11010119850301{n:03d}")) if kind == "individual" \
        else dict(GROUP_ANSWERS)
    form = case_services.form_class(version)(answers)
    assert form.is_valid(), form.errors
    return case_services.do_create_case(campaign=campaign, organisation=union, name=f"五一候选人{n}", form=form,
                                        actor=submitter, submit=submit, version=version)


def _mayday_in_every_state(campaign, union, users):
    """{state: case} of a medal of `union` (branch A, an enterprise
    candidate: every department asked) in each state of May Day's route."""
    from awards.kinds import cases as case_services
    from awards.kinds.notices import do_publish_notice
    from workflows.notices.services import close_notice
    from workflows.signoffs.services import pending_departments
    from workflows.steps.decisions import decide

    officers = {Organisation.objects.get(code=code).pk: users[name] for code, name in MAYDAY_DEPARTMENTS.items()}
    serial = iter(range(1, 100))
    steps = [("confirm", "jixie_chair"), ("forward", "cg_review"), ("approve", "qz_review")]

    def new(submit=True):
        return _mayday_case(campaign, union, users["jixie_submit"], next(serial), submit=submit)

    def take(case, count):
        for decision, who in steps[:count]:
            decide(decision=decision, case=case, actor=users[who])
        case.refresh_from_db()
        return case

    def signed(case):
        take(case, 3)
        for department in pending_departments(case):
            decide(decision="agree", case=case, actor=officers[department])
        case.refresh_from_db()
        return case

    found = {S.DRAFT: new(submit=False), S.CONFIRMING: new(), S.INTERMEDIATE: take(new(), 1),
             S.DISTRICT: take(new(), 2), S.SIGNOFFS: take(new(), 3)}
    finals = [signed(new()) for _ in range(3)]
    notice = do_publish_notice(campaign=campaign, actor=users["qz_admin"], cases=finals)
    close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
    found[S.IN_NOTICE] = signed(new())
    do_publish_notice(campaign=campaign, actor=users["qz_admin"], cases=[found[S.IN_NOTICE]])
    found[S.AWAITING_NOTICE] = signed(new())
    granted, not_granted, found[S.DECIDING] = (c.__class__.objects.get(pk=c.pk) for c in finals)
    decide(case=granted, actor=users["qz_admin"], decision="outcome_1")
    decide(case=not_granted, actor=users["qz_admin"], decision="outcome_2", comment="事迹材料不足。")
    found[S.GRANTED], found[S.NOT_GRANTED] = granted, not_granted
    found[S.RETURNED] = take(new(), 2)
    decide(case=found[S.RETURNED], actor=users["qz_review"], decision="return", comment="请补充事迹。")
    found[S.REJECTED] = new()
    decide(case=found[S.REJECTED], actor=users["jixie_chair"], decision="reject", comment="不符合条件。")
    found[S.WITHDRAWN] = new()
    case_services.do_withdraw_case(case=found[S.WITHDRAWN], actor=users["jixie_submit"])
    for case in found.values():
        case.refresh_from_db()
    assert {state: case.state for state, case in found.items()} == {state: state for state in found}
    return found


@pytest.fixture
def mayday(world, db):
    """({state: medal case of A}, the world's objects) of a May Day
    campaign in the demo's district (A, B) and the other district (X)."""
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    users = get_user_model().objects.in_bulk(field_name="username")
    here = _mayday_campaign(world, world.org["district"], users["qz_admin"], code="mayday-matrix")
    there = _mayday_campaign(world, world.org["other-district"], users["other_admin"], code="mayday-other")
    by_state = _mayday_in_every_state(here, world.org["jixie"], users)
    objects = {("campaign_kind", "A"): here.offered_versions[1].kind, ("kind_campaign", "A"): here,
               ("kind_case", "A"): by_state[S.CONFIRMING], ("kind_draft", "A"): by_state[S.DRAFT]}
    for slot, campaign, union, submitter, n in (("B", here, "yiyuan", "yiyuan_submit", 300),
                                                ("X", there, "other-union", "other_submit", 600)):
        objects["campaign_kind", slot] = campaign.offered_versions[1].kind
        objects["kind_campaign", slot] = campaign
        # A unit's case in B, a team's in X: every form of May Day is asked about.
        kind = {"B": "unit", "X": "team"}[slot]
        objects["kind_case", slot] = _mayday_case(campaign, world.org[union], users[submitter], n, kind=kind)
        objects["kind_draft", slot] = _mayday_case(campaign, world.org[union], users[submitter], n + 1,
                                                   submit=False)
    for slot in SLOTS:
        attachment = Attachment.objects.filter(case_type__model="kindcase", case_id=objects["kind_case", slot].pk)
        if attachment.exists():
            objects["kind_attachment", slot] = attachment.first()
    return by_state, objects


def test_the_mayday_campaign_in_the_access_matrix(world, mayday):
    """Every kinds page of a May Day campaign, its kinds, cases, files and
    certificate, for each branch; then the case's pages once more for each
    state of A's medal (another branch or district: 404, never a 500; the
    branch's own people reach each page in some state)."""
    by_state, objects = mayday
    t = table()
    views = [(objects, _questions(KINDS - {"certificate"}), SLOTS, PERSONAS)]
    for state, case in by_state.items():
        shown = {("kind_case", "A"): case}
        attachment = Attachment.objects.filter(case_type__model="kindcase", case_id=case.pk).first()
        if attachment is not None:
            shown["kind_attachment", "A"] = attachment
        certificate = _certificate(case)
        if certificate is not None:
            shown["certificate", "A"] = certificate
        kinds = CASE_KINDS if certificate is not None else CASE_KINDS - {"certificate"}
        views.append((shown, _questions(kinds, pdf=state == S.GRANTED), ("A",), STATE_PERSONAS))
    problems, seen, asked, _requests = _walk_views(world, views)
    public = {label for label in asked if label.partition("[")[0] in t.public}
    # No scoring on May Day's route; only a revoked certificate is reissued.
    unreached = sorted(asked - seen - public - {"kinds:case_score", "kinds:certificate_reissue", "kinds:payment_list"})
    problems += [f"no persona of the object's branch reaches {label}" for label in unreached]
    assert not problems, "\n".join(problems)
    # May Day's own pages among them: each reached by its branch.
    assert {"kinds:case_signoff", "kinds:case_revise", "kinds:case_edit", "kinds:campaign_notice",
            "kinds:award_list", "kinds:approved_list", "kinds:case_printed", "certificate_pdf"} <= seen


def test_the_mayday_campaign_forms_fuzzed(world, mayday):
    """May Day's forms as kinds forms: the three awards' case forms (new and
    draft), the revision, each step's decision (the chair, the town, the
    district, each department's sign-off, the final decision), the places."""
    by_state, objects = mayday
    objects.update({(f"kind_{state}", "A"): case for state, case in by_state.items()})
    view = Generated(world, objects)
    deciders = {S.CONFIRMING: "jixie_chair", S.INTERMEDIATE: "cg_review", S.DISTRICT: "qz_review",
                S.DECIDING: "qz_admin"}
    forms = {f"kinds:case_new[{kind}]": FormEntry("jixie_submit", r("kinds:case_new", o("kind_campaign"),
                                                                    query=f"?kind=mayday-{kind}"))
             for kind in ("unit", "individual", "team")}
    forms.update({
        "kinds:case_edit": FormEntry("jixie_submit", r("kinds:case_edit", o(f"kind_{S.DRAFT}"))),
        "kinds:case_revise": FormEntry("jixie_submit", r("kinds:case_revise", o(f"kind_{S.RETURNED}"))),
        "kinds:campaign_quotas": FormEntry("qz_admin", r("kinds:campaign_quotas", o("kind_campaign"))),
        "kinds:campaign_correct": FormEntry("qz_admin", r("kinds:campaign_correct", o("kind_campaign"))),
        "kinds:case_withdraw": FormEntry("jixie_submit", r("kinds:case_withdraw", o("kind_case")),
                                         r("kinds:case_detail", o("kind_case")), button=True),
    })
    for state, persona in deciders.items():
        forms[f"kinds:case_decide[{state}]"] = FormEntry(persona, r("kinds:case_decide", o(f"kind_{state}")))
    # An individual of the private sector: tax and safety sign off (audit, state-owned only: not asked).
    for name in ("dept_tax", "dept_safety"):
        forms[f"kinds:case_signoff[{name}]"] = FormEntry(name, r("kinds:case_signoff", o(f"kind_{S.SIGNOFFS}")))
    failures = []
    for name, entry in sorted(forms.items()):
        answers, fields, failure = fuzz(name, entry, view)
        if failure:
            failures.append(failure)
    assert not failures, "\n\n".join(failures)


# The old May Day addresses (awards/legacy) are the site's access matrix's
# own rows (tests/awards/access_entries.py, asked by tests/test_access_matrix.py).

def test_the_old_reissue_address_of_a_certificate_out_of_reach_is_a_404(world, db):
    """The certificate is looked up in the reader's reach before any
    redirect (awards/legacy/views.py; docs/mayday-as-kinds.md §3): another
    branch's union gets 404, the district the kinds' reissue page (the
    world holds the old addresses' objects: tests/awards/access_entries.py)."""
    client = Client()
    client.force_login(world.users["yiyuan_submit"])
    certificate = world.obj["legacy_certificate", "A"]
    old = reverse("awards:certificate_reissue", args=[certificate.pk])
    assert client.get(old).status_code == 404
    client.force_login(world.users["qz_admin"])
    moved = client.get(old)
    assert moved.status_code == 301 and moved["Location"] == reverse("kinds:certificate_reissue", args=[certificate.pk])
