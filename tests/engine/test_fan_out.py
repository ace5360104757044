"""A step assigned to named people, one task each: the case waits for every
agreement; a refusal ends the step and cancels the tasks still open."""

import pytest
from viewflow.workflow import STATUS

from tests.engine.conftest import assert_tasks_match_state, last_entry
from tests.engine.toy.models import ToyState as S
from workflows.exceptions import AlreadyHandled, NotAllowed
from workflows.steps.decisions import decide
from workflows.steps.tasks import open_step_names, open_tasks, process_of


def test_the_first_agreement_waits_the_second_moves_on(people, journey):
    case = journey.in_inspection()
    version = case.version

    decide(case=case, actor=people.inspector1, decision="agree")

    case.refresh_from_db()
    assert (case.state, case.version) == (S.INSPECTION, version)
    assert [t.owner_id for t in open_tasks(case)] == [people.inspector2.pk]
    first = last_entry(case)
    assert (first.actor, first.role, first.from_state, first.to_state, first.decision) == (
        people.inspector1, "inspector", S.INSPECTION, S.INSPECTION, "agree",
    )
    with pytest.raises(NotAllowed):  # their task is done; the other is not theirs
        decide(case=case, actor=people.inspector1, decision="agree")

    decide(case=case, actor=people.inspector2, decision="agree")

    case.refresh_from_db()
    assert (case.state, case.version) == (S.AWAITING_NOTICE, version + 1)
    assert open_step_names(case) == ["notice"]
    assert last_entry(case).to_state == S.AWAITING_NOTICE


def test_a_refusal_ends_the_step_and_cancels_the_other_task(people, journey):
    case = journey.in_inspection()
    other = open_tasks(case).get(owner=people.inspector2)

    decide(case=case, actor=people.inspector1, decision="refuse", comment="现场不符")

    case.refresh_from_db()
    assert case.state == S.REJECTED
    assert_tasks_match_state(case)
    other.refresh_from_db()
    assert other.status == STATUS.CANCELED
    assert process_of(case).finished is not None
    with pytest.raises(AlreadyHandled):
        decide(case=case, actor=people.inspector2, decision="agree")


def test_a_refusal_after_one_agreement_still_rejects(people, journey):
    case = journey.in_inspection()
    decide(case=case, actor=people.inspector1, decision="agree")

    decide(case=case, actor=people.inspector2, decision="refuse", comment="不同意")

    case.refresh_from_db()
    assert case.state == S.REJECTED
    assert_tasks_match_state(case)


def test_only_the_named_people_take_the_step(people, journey):
    case = journey.in_inspection()
    for other in (people.reviewer, people.admin, people.submitter):
        with pytest.raises(NotAllowed):
            decide(case=case, actor=other, decision="agree")
    assert len(open_step_names(case)) == 2


def test_one_inspector_alone_moves_the_case_on(people, journey):
    case = journey.in_inspection(inspectors=[people.inspector2])
    assert [t.owner_id for t in open_tasks(case)] == [people.inspector2.pk]

    decide(case=case, actor=people.inspector2, decision="agree")

    case.refresh_from_db()
    assert case.state == S.AWAITING_NOTICE
