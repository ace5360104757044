"""A step's decision through the one service: the state moves as declared,
the audit entry names actor, states and decision, and the open tasks are
those of the new state's step."""

import pytest

from tests.engine.conftest import assert_tasks_match_state, last_entry
from tests.engine.toy.models import ToyCase
from tests.engine.toy.models import ToyState as S
from workflows.audit import history_of
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import Notification
from workflows.organisations.roles import branch_roles, role_choices, role_label
from workflows.steps.decisions import decide, do_transition
from workflows.steps.tasks import open_step_names, open_tasks


def test_submit_starts_the_flow_with_the_review_task(people, journey):
    case = journey.new()
    assert open_step_names(case) == []

    do_transition(case=case, actor=people.submitter, code="submit")

    case.refresh_from_db()
    assert (case.state, case.version) == (S.SUBMITTED, 1)
    assert open_step_names(case) == ["review"]
    task = open_tasks(case).get()
    assert task.owner_permission == "role:reviewer"
    assert task.owner_permission_obj_pk == str(people.town.pk)
    entry = last_entry(case)
    assert (entry.action, entry.actor, entry.from_state, entry.to_state, entry.decision) == (
        "toy.case.submit", people.submitter, S.DRAFT, S.SUBMITTED, "submit",
    )


def test_only_the_unit_submitter_submits(people, journey):
    case = journey.new()
    with pytest.raises(NotAllowed):
        do_transition(case=case, actor=people.reviewer, code="submit")
    case.refresh_from_db()
    assert case.state == S.DRAFT
    assert not history_of(case).exists()


def test_approve_moves_on_and_opens_one_task_per_inspector(people, journey):
    case = journey.submitted()

    decide(case=case, actor=people.reviewer, decision="approve", comment="好")

    assert case.state == S.INSPECTION  # the caller's instance sees the result
    case.refresh_from_db()
    assert (case.state, case.version) == (S.INSPECTION, 2)
    assert open_step_names(case) == ["inspect", "inspect"]
    assert sorted(t.owner_id for t in open_tasks(case)) == [people.inspector1.pk, people.inspector2.pk]
    entry = last_entry(case)
    assert (entry.action, entry.actor, entry.role, entry.organisation) == (
        "toy.case.approve", people.reviewer, "reviewer", people.town,
    )
    assert (entry.from_state, entry.to_state, entry.decision, entry.comment) == (S.SUBMITTED, S.INSPECTION, "approve", "好")
    assert entry.on_behalf_of is None


def test_return_then_resubmit_comes_back_to_review(people, journey):
    case = journey.submitted()

    decide(case=case, actor=people.reviewer, decision="return", comment="补充材料")
    case.refresh_from_db()
    assert case.state == S.RETURNED
    assert open_step_names(case) == ["revise"]
    entry = last_entry(case)
    assert (entry.actor, entry.from_state, entry.to_state, entry.decision) == (
        people.reviewer, S.SUBMITTED, S.RETURNED, "return",
    )

    decide(case=case, actor=people.submitter, decision="resubmit")
    case.refresh_from_db()
    assert case.state == S.SUBMITTED
    assert open_step_names(case) == ["review"]
    entry = last_entry(case)
    assert (entry.actor, entry.role, entry.from_state, entry.to_state, entry.decision) == (
        people.submitter, "submitter", S.RETURNED, S.SUBMITTED, "resubmit",
    )
    # The same reviewer may judge the second round: it is the same level.
    decide(case=case, actor=people.reviewer, decision="approve")
    assert case.state == S.INSPECTION


def test_a_decided_task_opens_the_next_step_itself_without_a_switch_task(people, journey):
    """Routing goes from the closed task straight to the step that owns the
    new state (or the end): no switch task is stored per decision."""
    from viewflow.workflow import PROCESS, STATUS

    from workflows.steps.tasks import process_of

    case = journey.submitted()
    decide(case=case, actor=people.reviewer, decision="return", comment="补充材料")
    process = process_of(case)
    review = process.task_set.get(flow_task_type="HUMAN", status=STATUS.DONE)
    revise = open_tasks(case).get()
    assert (review.flow_task.name, revise.flow_task.name) == ("review", "revise")
    assert list(revise.previous.all()) == [review]
    assert review.owner == people.reviewer

    decide(case=case, actor=people.submitter, decision="resubmit")
    decide(case=case, actor=people.reviewer, decision="reject", comment="不符合条件")
    process.refresh_from_db()
    assert process.status == PROCESS.DONE
    end = process.task_set.get(flow_task_type="END")
    assert [t.flow_task.name for t in end.previous.all()] == ["review"]
    # Only the start's switch routes; decisions store none.
    assert process.task_set.filter(flow_task_type="SWITCH").count() == 1


def test_return_needs_a_comment(people, journey):
    case = journey.submitted()
    with pytest.raises(RuleViolation):
        decide(case=case, actor=people.reviewer, decision="return", comment="  ")
    case.refresh_from_db()
    assert case.state == S.SUBMITTED
    assert_tasks_match_state(case)


def test_reject_ends_the_flow(people, journey):
    case = journey.submitted()

    decide(case=case, actor=people.reviewer, decision="reject", comment="不符合条件")

    case.refresh_from_db()
    assert case.state == S.REJECTED
    assert open_step_names(case) == []
    entry = last_entry(case)
    assert (entry.action, entry.from_state, entry.to_state, entry.decision, entry.comment) == (
        "toy.case.reject", S.SUBMITTED, S.REJECTED, "reject", "不符合条件",
    )
    with pytest.raises(AlreadyHandled):
        decide(case=case, actor=people.reviewer, decision="approve")


def test_withdraw_cancels_the_open_task(people, journey):
    case = journey.submitted()

    do_transition(case=case, actor=people.submitter, code="withdraw")

    case.refresh_from_db()
    assert case.state == S.WITHDRAWN
    assert open_step_names(case) == []
    assert last_entry(case).decision == "withdraw"


def test_a_decision_the_step_does_not_offer_is_refused(people, journey):
    case = journey.submitted()
    with pytest.raises(NotAllowed):
        decide(case=case, actor=people.reviewer, decision="accept")
    case.refresh_from_db()
    assert case.state == S.SUBMITTED


def test_someone_without_the_task_is_refused(people, journey):
    case = journey.submitted()
    for outsider in (people.submitter, people.reviewer_d, people.admin, people.inspector1):
        with pytest.raises(NotAllowed):
            decide(case=case, actor=outsider, decision="approve")
    case.refresh_from_db()
    assert (case.state, case.version) == (S.SUBMITTED, 1)
    assert open_step_names(case) == ["review"]


def test_a_stale_decision_is_already_handled(people, journey):
    """The version the user saw is older than the case's: 409, nothing moves."""
    case = journey.submitted()
    seen = ToyCase.objects.get(pk=case.pk)
    decide(case=case, actor=people.reviewer, decision="return", comment="补充")
    decide(case=case, actor=people.submitter, decision="resubmit")
    case.refresh_from_db()
    assert case.state == seen.state == S.SUBMITTED  # same state, newer version
    entries = history_of(case).count()

    with pytest.raises(AlreadyHandled):
        decide(case=seen, actor=people.reviewer, decision="approve")
    with pytest.raises(AlreadyHandled):
        decide(case=case, actor=people.reviewer, decision="approve", version=seen.version)

    case.refresh_from_db()
    assert (case.state, case.version) == (S.SUBMITTED, 3)
    assert history_of(case).count() == entries
    assert_tasks_match_state(case)


def test_the_whole_route_keeps_tasks_matching_the_state(people, journey):
    case = journey.notice_passed()
    assert_tasks_match_state(case)

    decide(case=case, actor=people.admin, decision="accept")

    case.refresh_from_db()
    assert case.state == S.ACCEPTED
    assert_tasks_match_state(case)
    decisions = [(e.from_state, e.to_state, e.decision) for e in history_of(case) if e.from_state != e.to_state]
    assert decisions == [
        (S.DRAFT, S.SUBMITTED, "submit"),
        (S.SUBMITTED, S.INSPECTION, "approve"),
        (S.INSPECTION, S.AWAITING_NOTICE, "agree"),
        (S.AWAITING_NOTICE, S.IN_NOTICE, "publish"),
        (S.IN_NOTICE, S.NOTICE_PASSED, "no_objection"),
        (S.NOTICE_PASSED, S.ACCEPTED, "accept"),
    ]


def test_whoever_acts_next_is_told_and_the_creator_when_it_comes_back(people, journey):
    case = journey.submitted()
    # The notifications about a toy case's new state (by their data, whatever
    # the event is named).
    told = Notification.objects.filter(data__model="toy.ToyCase")
    assert list(told.values_list("user", flat=True)) == [people.reviewer.pk]

    decide(case=case, actor=people.reviewer, decision="approve")
    assert set(told.filter(data__state=S.INSPECTION).values_list("user", flat=True)) == {
        people.inspector1.pk, people.inspector2.pk,
    }

    other = journey.submitted(title="乙")
    decide(case=other, actor=people.reviewer, decision="return", comment="补充证明")
    back = told.get(data__pk=other.pk, data__state=S.RETURNED)
    assert back.user == people.submitter
    assert back.data["comment"] == "补充证明"
    assert back.url == other.get_absolute_url()


def test_the_processes_roles_are_registered_with_their_labels(db):
    assert role_label("inspector") == "Inspector"
    assert "reviewer" in branch_roles() and "inspector" not in branch_roles()
    assert {"submitter", "reviewer", "inspector"} <= {code for code, _label in role_choices()}
