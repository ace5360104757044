"""Personas and a small organisation tree shared by every test.

district
├── town_a (intermediate)  ── union_a1, union_a2 (grassroots)
└── town_b (intermediate)  ── union_b1 (grassroots)
"""

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from workflows.models import Membership, Organisation, OrgKind, Sector

# tests/engine runs only under its own settings (no awards, the toy process
# installed), and then nothing else runs: each set needs its own apps.
# tests/signon likewise (a real OIDC provider installed: oauth2_provider).
_OWN_SETTINGS = {"tests.engine.settings": "engine", "tests.signon.settings": "signon"}
_own = _OWN_SETTINGS.get(os.environ.get("DJANGO_SETTINGS_MODULE"))
if _own:
    collect_ignore = [p.name for p in Path(__file__).parent.iterdir() if p.is_dir() and p.name != _own]
else:
    collect_ignore = list(_OWN_SETTINGS.values())


@pytest.fixture(autouse=True)
def _isolated_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A heartbeat writes from its own thread and connection, which cannot see
    # a test's uncommitted rows: it would take the job for lost. Tests that
    # exercise it commit their data (transaction=True) and set it shorter.
    settings.UNIONFLOW_HEARTBEAT_SECONDS = settings.UNIONFLOW_PRINT_HEARTBEAT_SECONDS = 3600
    settings.LANGUAGE_CODE = "zh-hans"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The fixtures sign people in with force_login or the password form
    # and no authenticator: the second factor and the session limits are
    # off here, and on in their own tests (tests/workflows/test_second_factor.py,
    # test_session_limits.py, tests/signon/), which set them back.
    settings.UNIONFLOW_SECOND_FACTOR = False
    settings.UNIONFLOW_IDLE_TIMEOUT_SECONDS = settings.UNIONFLOW_SESSION_MAX_SECONDS = 0
    # The settings fail closed (production unless told otherwise): the test
    # client speaks plain HTTP to "testserver" and nobody ran collectstatic.
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def pdf_renders(monkeypatch):
    """The HTML of every PDF WeasyPrint actually renders (it still runs):
    a document cached by content (workflows.documents.pdf_cache) adds
    nothing here the second time."""
    from workflows.documents import rendering

    calls = []
    real = rendering.html_to_pdf

    def counting(html):
        calls.append(html)
        return real(html)

    monkeypatch.setattr(rendering, "html_to_pdf", counting)
    return calls


def make_org(name, code, kind, parent=None, sector=""):
    return Organisation.objects.create(name=name, code=code, kind=kind, parent=parent, sector=sector)


def make_user(username, *pairs):
    user = get_user_model().objects.create_user(username=username, password="pw", email=f"{username}@example.org")
    for org, role in pairs:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


class Tree:
    pass


@pytest.fixture
def tree(db):
    from awards.roles import Role

    t = Tree()
    t.district = make_org("示范区总工会", "district", OrgKind.DISTRICT)
    t.town_a = make_org("甲镇工会", "town-a", OrgKind.INTERMEDIATE, t.district)
    t.town_b = make_org("乙街道工会", "town-b", OrgKind.INTERMEDIATE, t.district)
    t.union_a1 = make_org("甲一机械厂工会", "union-a1", OrgKind.GRASSROOTS, t.town_a, Sector.NON_PUBLIC)
    t.union_a2 = make_org("甲二纺织厂工会", "union-a2", OrgKind.GRASSROOTS, t.town_a, Sector.STATE_OWNED)
    t.union_b1 = make_org("乙一医院工会", "union-b1", OrgKind.GRASSROOTS, t.town_b, Sector.INSTITUTION)

    t.submitter = make_user("submitter_a1", (t.union_a1, Role.SUBMITTER))
    t.chair = make_user("chair_a1", (t.union_a1, Role.CHAIR))
    t.reviewer_a = make_user("reviewer_a", (t.town_a, Role.REVIEWER))
    t.reviewer_a2 = make_user("reviewer_a_2", (t.town_a, Role.REVIEWER))
    t.reviewer_d = make_user("reviewer_d", (t.district, Role.REVIEWER))
    t.admin_d = make_user("admin_d", (t.district, Role.DISTRICT_ADMIN))
    t.submitter_b = make_user("submitter_b1", (t.union_b1, Role.SUBMITTER))
    t.chair_b = make_user("chair_b1", (t.union_b1, Role.CHAIR))
    t.reviewer_b = make_user("reviewer_b", (t.town_b, Role.REVIEWER))
    t.outsider = make_user("outsider")
    return t


@pytest.fixture
def departments(tree):
    """The district's sign-off departments, one officer each: tax and
    safety for every enterprise candidate, audit for state-owned ones only."""
    from awards.roles import Role

    made = {}
    for function, name in [("tax", "税务局"), ("safety", "应急管理局"), ("audit", "审计局")]:
        org = make_org(name, f"dept-{function}", OrgKind.DEPARTMENT, tree.district)
        made[function] = make_user(f"officer_{function}", (org, Role.DEPARTMENT))
    return made


# Web forms --------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def valid_id_number(first17="11010119850301123"):
    """An ID card number with its GB 11643 check character."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


# May Day as campaign kinds ----------------------------------------------------
# The district's three May Day kinds made from the starters (the data files a
# district starts from), a campaign offering them, cases handed in through the
# kinds' services and taken through every step (docs/mayday-as-kinds.md §4).

MAYDAY_STARTERS = ("mayday-unit", "mayday-individual", "mayday-team")
ENTERPRISES = ["state_owned", "collective", "non_public"]
# Tax and safety sign off every enterprise candidate, audit state-owned ones
# only (the `departments` fixture's organisations); teams are not signed off.
MAYDAY_SIGNOFFS = [{"department": "dept-tax", "sectors": ENTERPRISES},
                   {"department": "dept-safety", "sectors": ENTERPRISES},
                   {"department": "dept-audit", "sectors": ["state_owned"]}]

# An individual's answers (the medal's form) as the service takes them.
MEDAL_ANSWERS = dict(
    gender="M", ethnicity="汉族", birth_date="1985-03-01", id_number=valid_id_number(),
    political_status="cpc", education="bachelor", sector="non_public", work_unit="甲一机械厂", post="车间主任",
    job_title="高级技师", candidate_category="front_line", honours="2022年度区劳动模范",
    deeds="在生产一线攻坚克难。" * 20, summary="技术革新能手。", congress_discussed_on="2024-03-01",
    contact_phone="023-12345678",
)
# A unit's or a team's answers.
GROUP_ANSWERS = dict(
    sector="", legal_representative="王五", headcount="120", work_unit="甲一机械厂",
    deeds="安全生产十年无事故。" * 10, summary="先进集体。", congress_discussed_on="2024-03-01",
    contact_phone="023-12345678",
)


def mayday_definition(code, district, *, signoffs=False):
    """A starter's definition for `district`, with the departments' sign-offs
    after the district's review for units and individuals when asked."""
    import copy

    from awards.kinds.starter_kinds import starter

    definition = starter(code).definition_for(district)
    if signoffs and code != "mayday-team":
        route = definition["route"]
        route["signoffs"] = copy.deepcopy(MAYDAY_SIGNOFFS)
        route["steps"].insert(route["steps"].index("district_review") + 1, "signoffs")
    return definition


@pytest.fixture
def open_mayday(tree):
    """open_mayday(code=, signoffs=, places=, year=): a campaign of the
    district's three May Day kinds (made once per test), with `places`
    places per town and kind (None: no places set)."""
    from awards.kinds import cases as case_services
    from awards.kinds import services
    from awards.kinds.models import CampaignKind
    from workflows.models import Quota

    def open_(code="mayday-test", *, signoffs=False, places=3, year=2024, title=None, deadline=None):
        versions = []
        for starter_code in MAYDAY_STARTERS:
            kind = CampaignKind.objects.filter(district=tree.district, code=starter_code).first()
            wanted = mayday_definition(starter_code, tree.district, signoffs=signoffs)
            if kind is None:
                version = services.do_create_kind(district=tree.district, code=starter_code, definition=wanted,
                                                  actor=tree.admin_d)
            else:
                version = services.do_revise_kind(kind=kind, definition=wanted, actor=tree.admin_d)
            versions.append(version)
        campaign = case_services.do_open_campaign(
            versions=versions, year=year, title=title or f"{year}年度五一劳动奖评选", code=code, actor=tree.admin_d,
            deadline=deadline or timezone.now() + datetime.timedelta(days=30))
        if places is not None:
            Quota.objects.bulk_create(Quota(scope=campaign, organisation=org, category=starter_code, count=places)
                                      for org in (tree.town_a, tree.town_b) for starter_code in MAYDAY_STARTERS)
        return campaign

    return open_


@pytest.fixture
def mayday_campaign(open_mayday):
    """A May Day campaign (code `mayday-test`) offering the three kinds,
    three places per town and kind, without departments' sign-offs."""
    return open_mayday()


@pytest.fixture
def make_mayday_case(tree, mayday_campaign):
    """make_mayday_case(kind="individual", submit=True, org=None,
    submitter=None, campaign=None, name=None, **answers): a case handed in
    (or saved as a draft) through the kinds' service."""
    from awards.kinds import cases as case_services

    serial = iter(range(1, 1000))

    def make(kind="individual", *, submit=True, org=None, submitter=None, campaign=None, name=None, **answers):
        campaign = campaign or mayday_campaign
        n = next(serial)
        [version] = [v for v in campaign.offered_versions if v.kind.code == f"mayday-{kind}"]
        base = dict(MEDAL_ANSWERS) if kind == "individual" else dict(GROUP_ANSWERS)
        if kind == "individual" and n > 1:
            # Another person each time (one active case per person).
            base["id_number"] = valid_id_number(f"11010119850301{n:03d}")
        data = {**base, **answers}
        name = name or (f"张三{n}" if kind == "individual" else f"甲一机械厂{n}")
        form = case_services.form_class(version)(data)
        assert form.is_valid(), form.errors
        org = org or tree.union_a1
        return case_services.do_create_case(campaign=campaign, organisation=org, name=name, form=form,
                                            actor=submitter or submitter_of(org), submit=submit, version=version)

    return make


def holder_of(org, role):
    """A user holding `role` at `org` (one is made where nobody does)."""
    membership = Membership.objects.filter(organisation=org, role=role).order_by("pk").first()
    return membership.user if membership else make_user(f"{role}_{org.code}", (org, role))


def submitter_of(org):
    from awards.roles import Role

    return holder_of(org, Role.SUBMITTER)


def pass_case_notice(tree, *cases):
    """Put cases awaiting the public notice on one notice and let its
    window end with no objection: they then await the district's decision."""
    from awards.kinds.notices import do_publish_notice
    from workflows.notices.services import close_notice

    notice = do_publish_notice(campaign=cases[0].campaign, actor=tree.admin_d, cases=list(cases))
    close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
    for case in cases:
        case.refresh_from_db()
    return notice


@pytest.fixture
def pass_kind_notice(tree):
    return lambda *cases: pass_case_notice(tree, *cases)


@pytest.fixture
def grant_case(tree, departments):
    """Take a handed-in case of union_a1/a2 or union_b1 through every step
    to granted (the departments agreeing where asked); returns its
    certificate (its PDF is rendered only if the caller runs the on-commit
    callbacks)."""
    from awards.kinds.models import KindCaseState as S
    from awards.roles import Role
    from workflows.documents.case_certificates import certificate_of
    from workflows.signoffs.services import pending_departments
    from workflows.steps.decisions import decide

    officers = {user.memberships.get().organisation_id: user for user in departments.values()}

    def run(case):
        in_a = case.organisation.is_within(tree.town_a)
        decide(decision="confirm", case=case, actor=holder_of(case.organisation, Role.CHAIR))
        decide(decision="forward", case=case, actor=tree.reviewer_a if in_a else tree.reviewer_b)
        decide(decision="approve", case=case, actor=tree.reviewer_d)
        case.refresh_from_db()
        if case.state == S.SIGNOFFS:
            for department_id in pending_departments(case):
                decide(decision="agree", case=case, actor=officers[department_id])
                case.refresh_from_db()
        pass_case_notice(tree, case)
        decide(case=case, actor=tree.admin_d, decision="outcome_1")
        case.refresh_from_db()
        return certificate_of(case)

    return run


def medal_post(organisation, **changes):
    """POST data of the medal's (an individual's) kinds form as typed, for
    `organisation`; keys without the `answers-` prefix are answers."""
    data = {"case-organisation": organisation.pk, "case-name": "李四", "action": "submit",
            **{f"answers-{k}": v for k, v in MEDAL_ANSWERS.items()}}
    for key, value in changes.items():
        data[key if key.startswith(("case-", "answers-")) or key == "action" else f"answers-{key}"] = value
    return data
