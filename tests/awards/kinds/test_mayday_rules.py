"""May Day's rules on its three kinds (ported from tests/awards/test_rules.py):
a grant or a refusal breaking a mix rule is refused with the figures; a
refusal never beats an "at least" rule that was still reachable; the
departments sign off enterprise units and individuals only, audit
state-owned ones too; the campaign page shows the figures and leads to the
notice; the department's own sign-off page.

Places shared down (engine checks and audit on the kinds' categories).
Covered by kinds' own tests on a generic kind, so not repeated here: places
enforced at submission and the share page (test_route_steps,
test_rules_and_rounds), the rules' setter (test_rules_and_rounds), one
department's refusal (test_kind_signoffs), the deadline minute
(test_drafts_and_deadlines)."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from awards.kinds.models import KindCase
from awards.kinds.models import KindCaseState as S
from awards.roles import Role
from tests.conftest import holder_of, pass_case_notice
from workflows.audit import history_of
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.mixrules.services import figures_of, rule_create
from workflows.quotas.services import quota_set, quota_share
from workflows.models import PublicNotice, SignoffStatus
from workflows.signoffs.services import current_round
from workflows.steps.decisions import decide
from workflows.steps.tasks import open_step_names

pytestmark = pytest.mark.django_db

AMONG_MEDALS = {"kind_version__kind__code": "mayday-individual"}


def review_up(tree, case):
    """The chair confirms, the town forwards, the district approves."""
    in_a = case.organisation.is_within(tree.town_a)
    decide(decision="confirm", case=case, actor=holder_of(case.organisation, Role.CHAIR))
    decide(decision="forward", case=case, actor=tree.reviewer_a if in_a else tree.reviewer_b)
    decide(decision="approve", case=case, actor=tree.reviewer_d)
    case.refresh_from_db()
    return case


def to_decision(tree, case):
    pass_case_notice(tree, review_up(tree, case))
    assert case.state == S.DECIDING
    return case


def _front_line_rule(tree, campaign):
    """Front-line workers at least 60 % of the medals (奖章)."""
    rule_create(scope=campaign, field="candidate_category", values=["front_line"], comparison="min", percent=60,
                applies_to=AMONG_MEDALS, actor=tree.admin_d)


def _state(case):
    return KindCase.objects.get(pk=case.pk).state


# Places shared down ------------------------------------------------------------------

MEDAL = "mayday-individual"


def test_shares_cannot_exceed_the_parent(tree, mayday_campaign):
    campaign = mayday_campaign  # 3 places per town and kind
    with pytest.raises(NotAllowed):  # another branch's reviewer
        quota_share(scope=campaign, organisation=tree.union_a1, category=MEDAL, count=1, actor=tree.reviewer_b)
    with pytest.raises(RuleViolation):
        quota_share(scope=campaign, organisation=tree.union_a1, category=MEDAL, count=4, actor=tree.reviewer_a)
    quota_share(scope=campaign, organisation=tree.union_a1, category=MEDAL, count=2, actor=tree.reviewer_a)
    with pytest.raises(RuleViolation) as err:
        quota_share(scope=campaign, organisation=tree.union_a2, category=MEDAL, count=2, actor=tree.reviewer_a)
    assert "1" in err.value.message  # at most 1 left
    with pytest.raises(RuleViolation):  # the district cannot cut below what was shared
        quota_set(scope=campaign, organisation=tree.town_a, category=MEDAL, count=1, actor=tree.admin_d)
    quota_set(scope=campaign, organisation=tree.town_a, category=MEDAL, count=5, actor=tree.admin_d)
    quota_share(scope=campaign, organisation=tree.union_a2, category=MEDAL, count=3, actor=tree.reviewer_a)
    assert [e.action for e in history_of(campaign)].count("kinds.quota.shared") == 2


def test_a_share_is_logged_with_the_role_it_was_made_in(tree, mayday_campaign):
    quota_share(scope=mayday_campaign, organisation=tree.union_a1, category=MEDAL, count=1, actor=tree.reviewer_a)
    quota_share(scope=mayday_campaign, organisation=tree.union_a2, category=MEDAL, count=1, actor=tree.admin_d)
    entries = [e for e in history_of(mayday_campaign) if e.action == "kinds.quota.shared"]
    assert [(e.actor, e.role, e.organisation) for e in entries] == [
        (tree.reviewer_a, Role.REVIEWER, tree.town_a),
        (tree.admin_d, Role.DISTRICT_ADMIN, tree.district),
    ]
    assert entries[1].data["intermediate"] == tree.town_a.pk and entries[1].data["organisation"] == tree.union_a2.pk


# Mix rules ---------------------------------------------------------------------------

def test_a_grant_breaking_a_mix_rule_is_refused_with_the_figures(tree, mayday_campaign, make_mayday_case):
    _front_line_rule(tree, mayday_campaign)
    first = to_decision(tree, make_mayday_case())
    second = to_decision(tree, make_mayday_case(candidate_category="technical"))
    decide(case=first, actor=tree.admin_d, decision="outcome_1")

    with override("en"), pytest.raises(RuleViolation) as err:
        decide(case=second, actor=tree.admin_d, decision="outcome_1")
    message = err.value.message
    assert "1 of 2" in message and "50.0%" in message and "60%" in message
    assert _state(second) == S.DECIDING
    assert "kinds.case.granted" not in [e.action for e in history_of(second)]

    figure = figures_of(mayday_campaign)[0]
    assert (figure.matching, figure.total, figure.percent, figure.ok) == (1, 1, 100, True)
    assert (figure.projected_matching, figure.projected_total, figure.projected_ok) == (1, 2, False)

    # Not granting it is possible (the May Day starters want the reason).
    decide(case=second, actor=tree.admin_d, decision="outcome_2", comment="比例不符")
    assert _state(second) == S.NOT_GRANTED


def test_a_rule_still_reachable_does_not_block(tree, mayday_campaign, make_mayday_case):
    rule_create(scope=mayday_campaign, field="candidate_category", values=["enterprise_head"], comparison="max",
                percent=50, applies_to=AMONG_MEDALS, actor=tree.admin_d)
    rule_create(scope=mayday_campaign, field="sector", values=["non_public"], comparison="min", percent=35,
                actor=tree.admin_d)
    head = to_decision(tree, make_mayday_case(candidate_category="enterprise_head"))
    worker = make_mayday_case()
    # A case still at its union is not in play: 1 head of 1 could not be
    # brought down to 50 %.
    with pytest.raises(RuleViolation):
        decide(case=head, actor=tree.admin_d, decision="outcome_1")
    # Past the intermediate union it is: 1 of 2 (50 %) is reachable.
    decide(decision="confirm", case=worker, actor=tree.chair)
    decide(decision="forward", case=worker, actor=tree.reviewer_a)
    assert _state(worker) == S.DISTRICT
    decide(case=head, actor=tree.admin_d, decision="outcome_1")
    second_head = to_decision(tree, make_mayday_case(candidate_category="enterprise_head"))
    with override("en"), pytest.raises(RuleViolation) as err:
        decide(case=second_head, actor=tree.admin_d, decision="outcome_1")
    assert "2 of 2" in err.value.message and "66.7%" in err.value.message
    figures = figures_of(mayday_campaign)
    assert [(f.matching, f.total, f.ok) for f in figures] == [(1, 1, False), (1, 1, True)]


def test_refusals_cannot_beat_an_at_least_rule(tree, mayday_campaign, make_mayday_case):
    """Front-line ≥ 60 %: granting the technician first and then refusing
    the front-line candidates one by one would end at 0 of 1."""
    _front_line_rule(tree, mayday_campaign)
    technician = to_decision(tree, make_mayday_case(candidate_category="technical"))
    first = to_decision(tree, make_mayday_case())
    second = to_decision(tree, make_mayday_case())
    decide(case=technician, actor=tree.admin_d, decision="outcome_1")  # 2 of 3 still reachable

    with override("en"), pytest.raises(RuleViolation) as err:
        decide(case=first, actor=tree.admin_d, decision="outcome_2", comment="名额所限")
    message = err.value.message
    assert "0 of 1" in message and "1 of 2" in message and "50.0%" in message and "60%" in message
    assert _state(first) == S.DECIDING
    assert "kinds.case.not_granted" not in [e.action for e in history_of(first)]

    # Granting it is possible, and so is refusing one once the rule is safe.
    decide(case=first, actor=tree.admin_d, decision="outcome_1")
    with pytest.raises(RuleViolation):  # 1 of 2 (50 %) without the second
        decide(case=second, actor=tree.admin_d, decision="outcome_2", comment="名额所限")
    decide(case=second, actor=tree.admin_d, decision="outcome_1")
    figure = figures_of(mayday_campaign)[0]
    assert (figure.matching, figure.total, figure.ok) == (2, 3, True)


def test_a_refusal_away_from_an_unreachable_rule_or_of_a_non_matching_case_passes(tree, mayday_campaign,
                                                                                 make_mayday_case):
    _front_line_rule(tree, mayday_campaign)
    # An "at most" rule is never a reason to refuse a refusal.
    rule_create(scope=mayday_campaign, field="candidate_category", values=["front_line"], comparison="max",
                percent=10, actor=tree.admin_d)
    technician = to_decision(tree, make_mayday_case(candidate_category="technical"))
    worker = to_decision(tree, make_mayday_case())
    decide(case=technician, actor=tree.admin_d, decision="outcome_2", comment="否")
    assert _state(technician) == S.NOT_GRANTED
    # Nothing granted and nothing else in play: refusing the last one
    # leaves an empty list, which breaks no rule.
    decide(case=worker, actor=tree.admin_d, decision="outcome_2", comment="否")
    assert _state(worker) == S.NOT_GRANTED


# Departments' sign-offs ---------------------------------------------------------------

@pytest.fixture
def signed_off(open_mayday, departments):
    """A May Day campaign whose units and individuals the departments sign
    off (tax and safety every enterprise, audit state-owned ones)."""
    return open_mayday("mayday-signed", signoffs=True)


def _pending(case):
    return sorted(r.department.code for r in current_round(case) if r.status == SignoffStatus.PENDING)


def test_a_state_owned_enterprises_candidate_also_needs_audit(tree, departments, signed_off, make_mayday_case):
    # union_a1 is a non-public enterprise's union, union_a2 a state-owned one's.
    private = review_up(tree, make_mayday_case(campaign=signed_off))
    assert private.state == S.SIGNOFFS and _pending(private) == ["dept-safety", "dept-tax"]
    state = review_up(tree, make_mayday_case(campaign=signed_off, org=tree.union_a2, sector="state_owned"))
    assert state.state == S.SIGNOFFS and len(open_step_names(state)) == 3
    assert _pending(state) == ["dept-audit", "dept-safety", "dept-tax"]
    for officer in departments.values():
        decide(decision="agree", case=state, actor=officer)
        state.refresh_from_db()
    assert state.state == S.AWAITING_NOTICE and open_step_names(state) == ["notice"]
    assert {r.status for r in current_round(state)} == {SignoffStatus.AGREED}


def test_non_enterprise_candidates_and_teams_skip_the_signoffs(tree, departments, signed_off, make_mayday_case):
    hospital = review_up(tree, make_mayday_case(campaign=signed_off, org=tree.union_b1, sector="institution"))
    assert hospital.state == S.AWAITING_NOTICE and not current_round(hospital)
    team = review_up(tree, make_mayday_case("team", campaign=signed_off))  # of a non-public enterprise
    assert team.state == S.AWAITING_NOTICE and not current_round(team)
    unit = review_up(tree, make_mayday_case("unit", campaign=signed_off))
    assert unit.state == S.SIGNOFFS and _pending(unit) == ["dept-safety", "dept-tax"]


def test_the_answered_sector_decides_who_signs_off(tree, departments, signed_off, make_mayday_case):
    state = review_up(tree, make_mayday_case(campaign=signed_off, sector="state_owned"))  # at union_a1 (non-public)
    assert _pending(state) == ["dept-audit", "dept-safety", "dept-tax"]


# The pages ----------------------------------------------------------------------------

def test_the_campaign_page_shows_the_figures_and_leads_to_the_notice(tree, mayday_campaign, make_mayday_case,
                                                                     client):
    _front_line_rule(tree, mayday_campaign)
    first = to_decision(tree, make_mayday_case())
    decide(case=first, actor=tree.admin_d, decision="outcome_1")
    waiting = review_up(tree, make_mayday_case(candidate_category="technical"))
    assert waiting.state == S.AWAITING_NOTICE
    notice_url = reverse("kinds:campaign_notice", args=[mayday_campaign.pk])

    client.force_login(tree.reviewer_d)
    page = client.get(mayday_campaign.get_absolute_url())
    figure = page.context["mix_figures"][0]
    assert (figure.matching, figure.total, figure.projected_matching, figure.projected_total) == (1, 1, 1, 2)
    html = page.content.decode()
    assert "1/1 (100.0%)" in html and "1/2 (50.0%)" in html
    assert page.context["awaiting_notice"] == 1 and notice_url not in html  # the administrator's button
    assert client.post(notice_url, {"confirmed": "1"}).status_code == 404  # not the administrator's reach

    client.force_login(tree.admin_d)
    page = client.get(mayday_campaign.get_absolute_url())
    assert page.context["awaiting_notice"] == 1 and notice_url in page.content.decode()
    # The preview first: nothing is published without the confirmation.
    published = PublicNotice.objects.count()  # the first case's
    preview = client.post(notice_url)
    assert preview.status_code == 200 and PublicNotice.objects.count() == published
    response = client.post(notice_url, {"confirmed": "1"})
    assert response.status_code == 302 and "/notices/" in response["Location"]
    waiting.refresh_from_db()
    assert waiting.state == S.IN_NOTICE
    detail = client.get(waiting.get_absolute_url())
    assert detail.context["notice_entry"] is not None
    response = client.post(notice_url, {"confirmed": "1"})  # nothing left: back, nothing published
    assert response.status_code == 302 and PublicNotice.objects.count() == published + 1


def test_the_signoff_page_of_the_departments_officers(tree, departments, signed_off, make_mayday_case, client):
    case = review_up(tree, make_mayday_case(campaign=signed_off))
    url = reverse("kinds:case_signoff", args=[case.pk])
    client.force_login(tree.outsider)
    assert client.get(url).status_code == 404
    client.force_login(departments["audit"])  # not asked (state-owned only)
    assert client.get(url).status_code == 404
    client.force_login(departments["tax"])
    assert client.get(case.get_absolute_url()).status_code == 200  # sees the case it signs off
    assert client.get(url).status_code == 200
    response = client.post(url, {"agreed": "0", "comment": ""})
    assert response.status_code == 200 and response.context["form"].errors["comment"]
    assert client.post(url, {"agreed": "1", "comment": "无欠税记录"}).status_code == 302
    page = client.get(case.get_absolute_url()).content.decode()
    assert "无欠税记录" in page and "税务局" in page
    assert client.post(url, {"agreed": "1"}).status_code == 409  # already answered
