"""Quotas handed down, mix rules enforced at the decision, departmental
sign-offs."""

import pytest
from django.utils.translation import override

from workflows.steps.decisions import decide
from awards.mayday.models import Nomination
from awards.mayday.models import NominationState as S
from workflows.mixrules.services import rule_create
from workflows.mixrules.services import figures_of
from workflows.quotas.services import quota_set, quota_share
from workflows.signoffs.answering import answer_signoff
from workflows.signoffs.services import signoffs_of
from tests.conftest import make_user, pass_public_notice
from workflows.audit import history_of
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.steps.actors import inbox_tasks
from workflows.steps.tasks import open_tasks
from workflows.models import SignoffStatus
from awards.roles import Role


def open_step_names(case):
    """The open human steps (a parallel join waiting is not a step)."""
    return [t.flow_task.name for t in open_tasks(case).filter(flow_task_type="HUMAN")]


def ids(n):
    return f"1101011990010{n:05d}"


def approve_up(tree, nomination):
    chair = tree.chair if nomination.organisation.is_within(tree.town_a) else tree.chair_b
    reviewer = tree.reviewer_a if nomination.organisation.is_within(tree.town_a) else tree.reviewer_b
    for user in (chair, reviewer, tree.reviewer_d):
        decide(decision="approve", case=nomination, actor=user)
    return nomination


def to_decision(tree, nomination):
    approve_up(tree, nomination)
    pass_public_notice(tree, nomination)
    assert nomination.state == S.DISTRICT_APPROVED
    return nomination


# Quotas ---------------------------------------------------------------------------

def test_shared_places_are_checked_at_submission(tree, campaign, make_nomination):
    share = quota_share(scope=campaign, organisation=tree.union_a1, category="individual", count=1, actor=tree.reviewer_a)
    assert share.parent.organisation == tree.town_a and share.count == 1

    make_nomination(id_number=ids(1))
    with pytest.raises(RuleViolation) as err:
        make_nomination(id_number=ids(2), nominee_name="李四")
    assert tree.union_a1.name in err.value.message and "1" in err.value.message

    # union_a2 has no share: it draws on the 3 − 1 places not shared out.
    make_nomination(org=tree.union_a2, submitter=make_user("sub_a2", (tree.union_a2, Role.SUBMITTER)), id_number=ids(3))
    sub_a2 = tree.union_a2.memberships.get(role=Role.SUBMITTER).user
    make_nomination(org=tree.union_a2, submitter=sub_a2, id_number=ids(4), nominee_name="王五")
    with pytest.raises(RuleViolation):
        make_nomination(org=tree.union_a2, submitter=sub_a2, id_number=ids(5), nominee_name="赵六")


def test_shares_cannot_exceed_the_parent(tree, campaign):
    with pytest.raises(NotAllowed):  # another branch's reviewer
        quota_share(scope=campaign, organisation=tree.union_a1, category="individual", count=1, actor=tree.reviewer_b)
    with pytest.raises(RuleViolation):
        quota_share(scope=campaign, organisation=tree.union_a1, category="individual", count=4, actor=tree.reviewer_a)
    quota_share(scope=campaign, organisation=tree.union_a1, category="individual", count=2, actor=tree.reviewer_a)
    with pytest.raises(RuleViolation) as err:
        quota_share(scope=campaign, organisation=tree.union_a2, category="individual", count=2, actor=tree.reviewer_a)
    assert "1" in err.value.message  # at most 1 left
    with pytest.raises(RuleViolation):  # the district cannot cut below what was shared
        quota_set(scope=campaign, organisation=tree.town_a, category="individual", count=1, actor=tree.admin_d)
    quota_set(scope=campaign, organisation=tree.town_a, category="individual", count=5, actor=tree.admin_d)
    quota_share(scope=campaign, organisation=tree.union_a2, category="individual", count=3, actor=tree.reviewer_a)
    assert [e.action for e in history_of(campaign)].count("awards.quota.shared") == 2


def test_a_share_is_logged_with_the_role_it_was_made_in(tree, campaign):
    quota_share(scope=campaign, organisation=tree.union_a1, category="individual", count=1, actor=tree.reviewer_a)
    quota_share(scope=campaign, organisation=tree.union_a2, category="individual", count=1, actor=tree.admin_d)
    entries = [e for e in history_of(campaign) if e.action == "awards.quota.shared"]
    assert [(e.actor, e.role, e.organisation) for e in entries] == [
        (tree.reviewer_a, Role.REVIEWER, tree.town_a),
        (tree.admin_d, Role.DISTRICT_ADMIN, tree.district),
    ]
    assert entries[1].data["intermediate"] == tree.town_a.pk and entries[1].data["organisation"] == tree.union_a2.pk


# Mix rules -------------------------------------------------------------------------

def test_decision_breaking_a_mix_rule_is_refused_with_the_figures(tree, campaign, make_nomination):
    rule_create(
        scope=campaign, field="candidate_category", values=["front_line"], comparison="min", percent=60,
        applies_to={"kind": "individual"}, actor=tree.admin_d,
    )
    first = to_decision(tree, make_nomination(id_number=ids(1)))
    second = to_decision(tree, make_nomination(id_number=ids(2), nominee_name="李四", candidate_category="technical"))
    decide(case=first, actor=tree.admin_d, decision="award")

    with override("en"), pytest.raises(RuleViolation) as err:
        decide(case=second, actor=tree.admin_d, decision="award")
    message = err.value.message
    assert "1 of 2" in message and "50.0%" in message and "60%" in message
    second.refresh_from_db()
    assert second.state == S.DISTRICT_APPROVED
    assert "awards.nomination.awarded" not in [e.action for e in history_of(second)]

    figure = figures_of(campaign)[0]
    assert (figure.matching, figure.total, figure.percent, figure.ok) == (1, 1, 100, True)
    assert (figure.projected_matching, figure.projected_total, figure.projected_ok) == (1, 2, False)

    # Declining is always possible.
    decide(case=second, actor=tree.admin_d, decision="decline", comment="比例不符")
    assert second.state == S.NOT_AWARDED


def test_a_rule_still_reachable_does_not_block(tree, campaign, make_nomination):
    rule_create(
        scope=campaign, field="candidate_category", values=["enterprise_head"], comparison="max", percent=50,
        applies_to={"kind": "individual"}, actor=tree.admin_d,
    )
    rule_create(scope=campaign, field="sector", values=["non_public"], comparison="min", percent=35,
                    actor=tree.admin_d)
    head = to_decision(tree, make_nomination(id_number=ids(1), candidate_category="enterprise_head"))
    worker = make_nomination(id_number=ids(2), nominee_name="李四")
    # A case still at its union is not in play: 1 head of 1 could not be
    # brought down to 50 %.
    with pytest.raises(RuleViolation):
        decide(case=head, actor=tree.admin_d, decision="award")
    # Past the intermediate union it is: 1 of 2 (50 %) is reachable.
    decide(decision="approve", case=worker, actor=tree.chair)
    decide(decision="approve", case=worker, actor=tree.reviewer_a)
    assert worker.state == S.INTERMEDIATE_APPROVED
    decide(case=head, actor=tree.admin_d, decision="award")
    second_head = to_decision(tree, make_nomination(id_number=ids(3), nominee_name="王五", candidate_category="enterprise_head"))
    with override("en"), pytest.raises(RuleViolation) as err:
        decide(case=second_head, actor=tree.admin_d, decision="award")
    assert "2 of 2" in err.value.message and "66.7%" in err.value.message
    figures = figures_of(campaign)
    assert [(f.matching, f.total, f.ok) for f in figures] == [(1, 1, False), (1, 1, True)]


def test_declines_cannot_beat_an_at_least_rule(tree, campaign, make_nomination):
    """Front-line ≥ 60 %: awarding the technician first and then declining
    the front-line candidates one by one would end at 0 of 1."""
    rule_create(
        scope=campaign, field="candidate_category", values=["front_line"], comparison="min", percent=60,
        applies_to={"kind": "individual"}, actor=tree.admin_d,
    )
    technician = to_decision(tree, make_nomination(id_number=ids(1), candidate_category="technical"))
    first = to_decision(tree, make_nomination(id_number=ids(2), nominee_name="李四"))
    second = to_decision(tree, make_nomination(id_number=ids(3), nominee_name="王五"))
    decide(case=technician, actor=tree.admin_d, decision="award")  # 2 of 3 still reachable

    with override("en"), pytest.raises(RuleViolation) as err:
        decide(case=first, actor=tree.admin_d, decision="decline", comment="名额所限")
    message = err.value.message
    assert "0 of 1" in message and "1 of 2" in message and "50.0%" in message and "60%" in message
    first.refresh_from_db()
    assert first.state == S.DISTRICT_APPROVED
    assert "awards.nomination.not_awarded" not in [e.action for e in history_of(first)]

    # Awarding it is possible, and so is declining it once the rule is safe.
    decide(case=first, actor=tree.admin_d, decision="award")
    with pytest.raises(RuleViolation):  # 1 of 2 (50 %) without the second
        decide(case=second, actor=tree.admin_d, decision="decline", comment="名额所限")
    decide(case=second, actor=tree.admin_d, decision="award")
    figure = figures_of(campaign)[0]
    assert (figure.matching, figure.total, figure.ok) == (2, 3, True)


def test_a_decline_away_from_an_unreachable_rule_or_of_a_non_matching_case_passes(tree, campaign, make_nomination):
    rule_create(
        scope=campaign, field="candidate_category", values=["front_line"], comparison="min", percent=60,
        applies_to={"kind": "individual"}, actor=tree.admin_d,
    )
    # A "≤" rule is never a reason to refuse a decline.
    rule_create(scope=campaign, field="candidate_category", values=["front_line"], comparison="max",
                    percent=10, actor=tree.admin_d)
    technician = to_decision(tree, make_nomination(id_number=ids(1), candidate_category="technical"))
    worker = to_decision(tree, make_nomination(id_number=ids(2), nominee_name="李四"))
    decide(case=technician, actor=tree.admin_d, decision="decline", comment="否")
    assert technician.state == S.NOT_AWARDED
    # Nothing awarded and nothing else in play: declining the last one
    # leaves an empty list, which breaks no rule.
    decide(case=worker, actor=tree.admin_d, decision="decline", comment="否")
    assert worker.state == S.NOT_AWARDED


def test_mix_rules_are_campaign_data_set_by_the_district(tree, campaign):
    with pytest.raises(NotAllowed):
        rule_create(scope=campaign, field="sector", values=["non_public"], comparison="min", percent=35,
                        actor=tree.reviewer_d)
    with pytest.raises(RuleViolation):
        rule_create(scope=campaign, field="id_number", values=["x"], comparison="min", percent=35,
                        actor=tree.admin_d)
    with pytest.raises(RuleViolation):
        rule_create(scope=campaign, field="sector", values=["nowhere"], comparison="min", percent=35,
                        actor=tree.admin_d)


# Departmental sign-offs -------------------------------------------------------------

# The `departments` fixture is in tests/conftest.py.

def test_all_departments_agree_then_the_notice(tree, make_nomination, departments):
    n = approve_up(tree, make_nomination())  # a non-public enterprise's worker
    assert n.state == S.SIGNOFF
    assert sorted(open_step_names(n)) == ["signoff", "signoff"]  # audit is for state-owned only
    assert [t.process.artifact for t in inbox_tasks(departments["tax"])] == [n]
    assert list(inbox_tasks(departments["audit"])) == []

    with pytest.raises(NotAllowed):
        answer_signoff(role=Role.DEPARTMENT, case=n, actor=tree.reviewer_d, agreed=True)
    answer_signoff(role=Role.DEPARTMENT, case=n, actor=departments["tax"], agreed=True, comment="无欠税")
    assert n.state == S.SIGNOFF and open_step_names(n) == ["signoff"]
    with pytest.raises(AlreadyHandled):
        answer_signoff(role=Role.DEPARTMENT, case=n, actor=departments["tax"], agreed=True)
    answer_signoff(role=Role.DEPARTMENT, case=n, actor=departments["safety"], agreed=True)
    assert n.state == S.AWAITING_NOTICE and open_step_names(n) == ["notice"]
    assert {s.status for s in signoffs_of(n)} == {SignoffStatus.AGREED}

    pass_public_notice(tree, n)
    decide(case=n, actor=tree.admin_d, decision="award")
    assert n.state == S.AWARDED


def test_one_refusal_stops_the_nomination(tree, make_nomination, departments):
    n = approve_up(tree, make_nomination())
    with pytest.raises(RuleViolation):  # a refusal needs its reason
        answer_signoff(role=Role.DEPARTMENT, case=n, actor=departments["safety"], agreed=False)
    answer_signoff(role=Role.DEPARTMENT, case=n, actor=departments["safety"], agreed=False, comment="近三年发生安全事故")
    assert n.state == S.REJECTED and open_step_names(n) == []
    last = history_of(n).last()
    assert last.action == "awards.nomination.signoff_refused" and last.comment == "近三年发生安全事故"
    assert (last.from_state, last.to_state) == (S.SIGNOFF, S.REJECTED)
    assert {s.department.name: s.status for s in signoffs_of(n)} == {
        "税务局": SignoffStatus.CANCELED, "应急管理局": SignoffStatus.REFUSED,
    }
    with pytest.raises(AlreadyHandled):
        answer_signoff(role=Role.DEPARTMENT, case=n, actor=departments["tax"], agreed=True)
    assert list(inbox_tasks(departments["tax"])) == []


def test_state_owned_enterprises_also_need_audit(tree, make_nomination, departments):
    chair = make_user("chair_a2", (tree.union_a2, Role.CHAIR))
    submitter = make_user("sub_a2", (tree.union_a2, Role.SUBMITTER))
    n = make_nomination(org=tree.union_a2, submitter=submitter, sector="state_owned")
    decide(decision="approve", case=n, actor=chair)
    decide(decision="approve", case=n, actor=tree.reviewer_a)
    decide(decision="approve", case=n, actor=tree.reviewer_d)
    assert n.state == S.SIGNOFF and len(open_step_names(n)) == 3
    for officer in departments.values():
        answer_signoff(role=Role.DEPARTMENT, case=n, actor=officer, agreed=True)
    assert n.state == S.AWAITING_NOTICE


def test_non_enterprise_candidates_skip_the_signoffs(tree, make_nomination, departments):
    hospital = make_nomination(org=tree.union_b1, submitter=tree.submitter_b, sector="institution")
    approve_up(tree, hospital)
    assert hospital.state == S.AWAITING_NOTICE
    team = make_nomination(kind="team", id_number="", nominee_name="先锋班组")
    approve_up(tree, team)
    assert team.state == S.AWAITING_NOTICE


# The pages ------------------------------------------------------------------------

def test_campaign_page_shows_figures_and_opens_the_notice(tree, campaign, make_nomination, client):
    rule_create(scope=campaign, field="candidate_category", values=["front_line"], comparison="min",
                    percent=60, applies_to={"kind": "individual"}, actor=tree.admin_d)
    first = to_decision(tree, make_nomination(id_number=ids(1)))
    decide(case=first, actor=tree.admin_d, decision="award")
    approve_up(tree, make_nomination(id_number=ids(2), nominee_name="李四", candidate_category="technical"))

    client.force_login(tree.reviewer_d)
    page = client.get(campaign.get_absolute_url())
    figure = page.context["mix_figures"][0]
    assert (figure.matching, figure.total, figure.projected_matching, figure.projected_total) == (1, 1, 1, 2)
    assert "1/1 (100.0%)" in page.content.decode() and "1/2 (50.0%)" in page.content.decode()
    assert page.context["awaiting_notice"] == 1
    assert client.post(f"/awards/campaigns/{campaign.code}/notice/open/").status_code == 403

    client.force_login(tree.admin_d)
    # The preview first: nothing is published without the confirmation.
    preview = client.post(f"/awards/campaigns/{campaign.code}/notice/open/")
    assert preview.status_code == 200 and page.context["awaiting_notice"] == 1
    response = client.post(f"/awards/campaigns/{campaign.code}/notice/open/", {"confirmed": "1"})
    assert response.status_code == 302 and "/notices/" in response["Location"]
    detail = client.get(Nomination.objects.get(nominee_name="李四").get_absolute_url())
    assert detail.context["notice_entry"] is not None
    response = client.post(f"/awards/campaigns/{campaign.code}/notice/open/", {"confirmed": "1"})  # nothing left
    assert response.status_code == 302


def test_signoff_page_for_department_officers(tree, make_nomination, departments, client):
    n = approve_up(tree, make_nomination())
    url = f"/awards/nominations/{n.pk}/signoff/"
    client.force_login(tree.outsider)
    assert client.get(url).status_code == 404
    client.force_login(departments["audit"])  # not asked (state-owned only)
    assert client.get(url).status_code == 404
    client.force_login(departments["tax"])
    assert client.get(n.get_absolute_url()).status_code == 200  # sees the case it signs off
    assert client.get(url).status_code == 200
    response = client.post(url, {"agreed": "0", "comment": ""})
    assert response.status_code == 200 and response.context["form"].errors["comment"]
    assert client.post(url, {"agreed": "1", "comment": "无欠税记录"}).status_code == 302
    page = client.get(n.get_absolute_url()).content.decode()
    assert "无欠税记录" in page and "税务局" in page
    assert client.post(url, {"agreed": "1"}).status_code == 409  # already answered


def test_share_places_page(tree, campaign, client):
    url = f"/awards/campaigns/{campaign.code}/share-places/"
    client.force_login(tree.submitter)
    assert client.get(url).status_code == 403
    client.force_login(tree.reviewer_a)
    page = client.get(url)
    assert {o.code for o in page.context["form"].fields["organisation"].queryset} == {"union-a1", "union-a2"}
    response = client.post(url, {"organisation": tree.union_a1.pk, "kind": "individual", "count": 9})
    # Refused (more than the union holds): said above the form, HTTP 400, nothing shared.
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    assert response.context["form"]["count"].value() == "9"
    response = client.post(url, {"organisation": tree.union_a1.pk, "kind": "individual", "count": 2})
    assert response.status_code == 302
    assert "甲一机械厂工会: 2" in client.get(campaign.get_absolute_url()).content.decode()


def test_a_deadline_includes_its_whole_minute(tree, campaign, make_nomination):
    """"截止 23:59" is read as including that minute: a submission at
    23:59:30 is on time, one at 00:00:00 is refused, naming the deadline."""
    import datetime

    from django.utils import timezone
    from freezegun import freeze_time

    deadline = timezone.make_aware(datetime.datetime(2031, 12, 7, 23, 59))
    campaign.submission_deadline = deadline
    campaign.save(update_fields=["submission_deadline"])
    with freeze_time(deadline + datetime.timedelta(seconds=30)):
        assert campaign.is_open
        on_time = make_nomination()
        assert on_time.state == S.SUBMITTED
    with freeze_time(deadline + datetime.timedelta(minutes=1)):
        assert not campaign.is_open
        with pytest.raises(RuleViolation) as refused:
            make_nomination(nominee_name="迟到", id_number="110101199001010011")
        assert "2031-12-07 23:59" in str(refused.value)
