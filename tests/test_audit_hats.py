"""The audit names the right hat: every act is recorded with the
organisation (and role) of the membership it was allowed under, never with
the actor's first organisation, and the rendered history and the archived
PDF say the same.

Each actor here holds a role at 城关机械制造有限公司工会 first (their
oldest membership) and the role the act needs elsewhere: a decision in each
of the four processes, district set-up acts (a campaign opened, a reporting
period opened), a public notice opened, a certificate revoked, an import,
a union's facts edited by the district, a substitute named by the district."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from awards.roles import Role
from tests.awards.modelhome.conftest import fill, mh, score, to_inspection  # noqa: F401 (mh: a fixture)
from tests.conftest import make_org, make_user
from tests.evaluations.cadres.conftest import make_evaluation, tellers  # noqa: F401 (fixtures)
from tests.evaluations.congress.conftest import expense_data, kinds  # noqa: F401 (fixtures)
from workflows.audit import history_of
from workflows.models import OrgKind, Sector
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db

OTHER = "城关机械制造有限公司工会"


@pytest.fixture
def hats(tree):
    """Two-hat users: each first holds a role at OTHER, then the one the
    acts below need."""
    tree.other = make_org(OTHER, "union-other", OrgKind.GRASSROOTS, tree.town_b, Sector.NON_PUBLIC)

    def two_hats(username, name, role, organisation):
        user = make_user(username, (tree.other, Role.SUBMITTER), (organisation, role))
        user.first_name = name
        user.save(update_fields=["first_name"])
        return user

    tree.wang = two_hats("wang", "王建国", Role.DISTRICT_ADMIN, tree.district)
    tree.li = two_hats("li", "李审核", Role.REVIEWER, tree.town_a)
    tree.zhao = two_hats("zhao", "赵区审", Role.REVIEWER, tree.district)
    return tree


def assert_recorded_as(entry, user, organisation, role=None):
    assert entry.actor == user
    assert entry.organisation == organisation, f"{entry.action}: {entry.organisation} instead of {organisation}"
    if role is not None:
        assert entry.role == role


def assert_history_shows(client, url, viewer, actor, organisation):
    """Every row of the case's history page naming `actor` names
    `organisation`, and none names the actor's other organisation."""
    client.force_login(viewer)
    html = client.get(url).content.decode()
    rows = [row for row in re.split(r"<tr[ >]", html) if actor.get_full_name() in row]
    assert rows, f"{actor} is on no row of {url}"
    for row in rows:
        row = row.split("</tr>")[0]
        assert organisation.name in row and OTHER not in row, row


# A decision in each of the four processes ----------------------------------------

def test_mayday_decisions_notice_and_revocation(hats, make_mayday_case, client):
    """May Day as campaign kinds (a medal's case of the kind mayday-individual)."""
    from awards.kinds.notices import do_publish_notice
    from workflows.documents.case_certificates import certificate_of
    from workflows.documents.services import certificate_revoke
    from workflows.notices.services import close_notice

    t = hats
    n = make_mayday_case()
    decide(decision="confirm", case=n, actor=t.chair)
    decide(decision="forward", case=n, actor=t.li)
    assert_recorded_as(history_of(n).get(action="kinds.case.forwarded", actor=t.li), t.li, t.town_a, Role.REVIEWER)
    decide(decision="approve", case=n, actor=t.zhao)
    assert_recorded_as(history_of(n).get(action="kinds.case.approved", actor=t.zhao), t.zhao, t.district,
                       Role.REVIEWER)

    notice = do_publish_notice(campaign=n.campaign, actor=t.wang, cases=[n])
    assert_recorded_as(history_of(notice).get(action="workflows.notice.opened"), t.wang, t.district,
                       Role.DISTRICT_ADMIN)
    assert_recorded_as(history_of(n).get(action="kinds.case.published"), t.wang, t.district, Role.DISTRICT_ADMIN)
    close_notice(notice=notice, actor=t.wang, today=notice.closes_on + datetime.timedelta(days=1))
    assert_recorded_as(history_of(notice).get(action="workflows.notice.closed"), t.wang, t.district,
                       Role.DISTRICT_ADMIN)
    n.refresh_from_db()
    decide(case=n, actor=t.wang, decision="outcome_1")
    assert_recorded_as(history_of(n).get(action="kinds.case.granted"), t.wang, t.district, Role.DISTRICT_ADMIN)

    certificate_revoke(certificate=certificate_of(n), actor=t.wang, reason="材料失实")
    assert_recorded_as(history_of(n).get(action="workflows.certificate.revoked"), t.wang, t.district,
                       Role.DISTRICT_ADMIN)

    for actor, organisation in ((t.li, t.town_a), (t.zhao, t.district), (t.wang, t.district)):
        assert_history_shows(client, n.get_absolute_url(), t.admin_d, actor, organisation)


def test_modelhome_notice_decision_and_campaign(hats, mh, client):  # noqa: F811 (mh: the fixture)
    from awards.modelhome import decisions
    from awards.modelhome.campaigns import OPENED, do_open_campaign
    from awards.modelhome.models import Campaign
    from workflows.notices.services import close_notice

    t = hats
    campaign = Campaign(code="model-home-2025", year=2025, title="2025年度模范职工之家评选", district=t.district,
                        standard_version=t.campaign.standard_version, notice_days=5, term_years=2,
                        disagreement_points=Decimal("5"), certificate_number_format="模家〔{year}〕第{seq:03d}号")
    do_open_campaign(district=t.district, campaign=campaign, actor=t.wang)
    assert_recorded_as(history_of(campaign).get(action=OPENED), t.wang, t.district, Role.DISTRICT_ADMIN)

    application = fill(t)
    to_inspection(t, application)
    score(t, application, t.inspector_1)
    score(t, application, t.inspector_2)
    application.refresh_from_db()
    notice = decisions.campaign_notice_open(campaign=t.campaign, actor=t.wang)
    assert_recorded_as(history_of(notice).get(action="workflows.notice.opened"), t.wang, t.district)
    close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
    application.refresh_from_db()
    decide(case=application, actor=t.wang, decision="model")
    decided = history_of(application).filter(actor=t.wang).order_by("-pk").first()
    assert decided.decision == "model"
    assert_recorded_as(decided, t.wang, t.district, Role.DISTRICT_ADMIN)
    assert_history_shows(client, application.get_absolute_url(), t.admin_d, t.wang, t.district)


def test_cadres_decision(hats, make_evaluation, client):  # noqa: F811 (make_evaluation: the fixture)
    from evaluations.cadres.models import EvaluationState as S
    from workflows.steps.decisions import decide

    t = hats
    evaluation = make_evaluation(to=S.PLAN_SUBMITTED)
    decide(case=evaluation, actor=t.li, decision="approve")
    assert_recorded_as(history_of(evaluation).get(actor=t.li), t.li, t.town_a, Role.REVIEWER)
    assert_history_shows(client, evaluation.get_absolute_url(), t.reviewer_a, t.li, t.town_a)


def test_congress_period_decisions_and_archived_pdf(hats, kinds, expense_data, client,  # noqa: F811
                                                     django_capture_on_commit_callbacks):
    from evaluations.congress import services
    from evaluations.congress.models import Report
    from evaluations.congress.periods import do_open_period

    t = hats
    period = do_open_period(kind=kinds["entertainment-expenses"], year=2024, half=1, sectors=[Sector.NON_PUBLIC],
                            district=t.district, actor=t.wang)
    assert_recorded_as(history_of(period).get(action="congress.period.opened"), t.wang, t.district,
                       Role.DISTRICT_ADMIN)
    report = Report.objects.get(period=period, organisation=t.union_a1)
    assert_recorded_as(history_of(report).get(action="congress.report.due"), t.wang, t.district)
    services.do_save_report_draft(report=report, data=expense_data(), actor=t.submitter)
    services.do_submit_report(report=report, actor=t.submitter)
    services.do_decide_report(report=report, actor=t.li, decision="forward")
    assert_recorded_as(history_of(report).get(actor=t.li), t.li, t.town_a, Role.REVIEWER)
    services.do_decide_report(report=report, actor=t.zhao, decision="accept")
    assert_recorded_as(history_of(report).get(actor=t.zhao), t.zhao, t.district, Role.REVIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        services.do_decide_report(report=report, actor=t.wang, decision="archive")
    assert_recorded_as(history_of(report).get(action="congress.report.archive"), t.wang, t.district)

    for actor, organisation in ((t.li, t.town_a), (t.zhao, t.district), (t.wang, t.district)):
        assert_history_shows(client, report.get_absolute_url(), t.admin_d, actor, organisation)
    report.refresh_from_db()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(report.document.file.read())).pages)
    text = text.replace("\n", "")
    assert f"李审核（{t.town_a.name}）" in text and f"王建国（{t.district.name}）" in text and OTHER not in text


# District acts that fail on the old code -------------------------------------------

def test_an_import_moving_a_unit_is_the_district_act(hats):
    from tests.workflows.test_district_import import workbook_bytes
    from workflows.organisations import imports

    t = hats
    row = [["union-b1", t.union_b1.name, "基层工会", "town-a", "事业单位"]]
    imports.do_import_district(data=workbook_bytes(row, []), district=t.district, actor=t.wang)
    t.union_b1.refresh_from_db()
    assert_recorded_as(history_of(t.union_b1).get(action="workflows.organisation.moved"), t.wang, t.district,
                       Role.DISTRICT_ADMIN)
    assert_recorded_as(history_of(t.district).get(action="workflows.organisations.imported"), t.wang, t.district)


def test_the_district_edits_a_unions_facts_as_the_district(hats):
    from evaluations.congress.facts import do_update_facts
    from workflows.exceptions import NotAllowed

    t = hats
    facts = do_update_facts(organisation=t.union_a1, values={"has_congress": True}, actor=t.wang)
    assert_recorded_as(history_of(facts).get(), t.wang, t.district, Role.DISTRICT_ADMIN)
    # The union's own chair edits them as the union.
    do_update_facts(organisation=t.union_a1, values={"has_congress": False}, actor=t.chair)
    assert_recorded_as(history_of(facts).order_by("-pk").first(), t.chair, t.union_a1, Role.CHAIR)
    # Another district's administrator edits none of them.
    elsewhere = make_org("邻区总工会", "district-2", OrgKind.DISTRICT)
    stranger = make_user("admin_2", (elsewhere, Role.DISTRICT_ADMIN))
    with pytest.raises(NotAllowed):
        do_update_facts(organisation=t.union_a1, values={"has_congress": True}, actor=stranger)


def test_the_district_names_a_substitute_as_the_district(hats):
    from workflows.exceptions import NotAllowed
    from workflows.organisations.delegation import delegation_create, delegation_revoke

    t = hats
    today = datetime.date.today()
    delegation = delegation_create(principal=t.reviewer_a, substitute=t.reviewer_a2, starts_on=today,
                                   ends_on=today, actor=t.wang, reason="年假")
    entry = history_of(delegation).get(action="workflows.delegation.created")
    assert_recorded_as(entry, t.wang, t.district, Role.DISTRICT_ADMIN)
    assert entry.on_behalf_of == t.reviewer_a
    elsewhere = make_org("邻区总工会", "district-2", OrgKind.DISTRICT)
    with pytest.raises(NotAllowed):
        delegation_revoke(delegation=delegation, actor=make_user("admin_2", (elsewhere, Role.DISTRICT_ADMIN)))
    delegation_revoke(delegation=delegation, actor=t.wang)
    assert_recorded_as(history_of(delegation).get(action="workflows.delegation.revoked"), t.wang, t.district)


def test_an_api_token_is_made_as_the_district(hats):
    from workflows.api.tokens import do_create_api_token, do_revoke_api_token

    t = hats
    # The account's first role is in another district: the token is still
    # the act of the district whose administrator makes it.
    elsewhere = make_org("邻区总工会", "district-2", OrgKind.DISTRICT)
    account = make_user("clerk", (elsewhere, Role.SUBMITTER), (t.union_a1, Role.SUBMITTER))
    token, _secret = do_create_api_token(account=account, name="报表", scope="read", acting_user=t.wang)
    assert_recorded_as(history_of(token).get(action="workflows.api_token.created"), t.wang, t.district,
                       Role.DISTRICT_ADMIN)
    do_revoke_api_token(token=token, acting_user=t.wang)
    assert_recorded_as(history_of(token).get(action="workflows.api_token.revoked"), t.wang, t.district)
