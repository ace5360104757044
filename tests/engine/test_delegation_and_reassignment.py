"""Acting for someone else: a substitute decides in the absent user's
place and the audit names both; a task handed to one person is theirs
alone."""

import datetime

import pytest

from tests.conftest import make_user
from tests.engine.conftest import last_entry
from tests.engine.toy.models import ToyState as S
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.organisations.delegation import delegation_create
from workflows.steps.assignment import task_reassign
from workflows.steps.decisions import decide
from workflows.steps.tasks import open_tasks


def test_a_substitute_decides_and_the_audit_names_on_behalf_of(people, journey, today):
    case = journey.submitted()
    with pytest.raises(NotAllowed):  # not theirs before the delegation
        decide(case=case, actor=people.reviewer_d, decision="approve")

    delegation_create(
        principal=people.reviewer, substitute=people.reviewer_d, starts_on=today,
        ends_on=today + datetime.timedelta(days=7), actor=people.reviewer, reason="出差",
    )
    decide(case=case, actor=people.reviewer_d, decision="approve")

    assert case.state == S.INSPECTION
    entry = last_entry(case)
    assert (entry.actor, entry.on_behalf_of, entry.role, entry.organisation, entry.decision) == (
        people.reviewer_d, people.reviewer, "reviewer", people.town, "approve",
    )


def test_a_substitute_must_hold_the_role_at_or_above_the_principals_organisation(people, today):
    with pytest.raises(RuleViolation):
        delegation_create(
            principal=people.reviewer, substitute=people.submitter, starts_on=today,
            ends_on=today + datetime.timedelta(days=7), actor=people.reviewer,
        )


def test_a_reassigned_task_belongs_to_the_named_person_only(people, journey):
    colleague = make_user("reviewer2", (people.town, "reviewer"))
    case = journey.submitted()
    task = open_tasks(case).get()

    task_reassign(task=task, to_user=colleague, actor=people.admin, reason="熟悉该单位")

    task.refresh_from_db()
    assert task.owner == colleague
    assert last_entry(case).action == "workflows.task.reassigned"
    with pytest.raises(NotAllowed):
        decide(case=case, actor=people.reviewer, decision="approve")
    case.refresh_from_db()
    assert case.state == S.SUBMITTED
    decide(case=case, actor=colleague, decision="approve")
    entry = last_entry(case)
    assert (entry.actor, entry.to_state, entry.on_behalf_of) == (colleague, S.INSPECTION, None)


def test_only_the_district_administrator_reassigns_and_only_to_an_entitled_user(people, journey):
    case = journey.submitted()
    task = open_tasks(case).get()
    with pytest.raises(NotAllowed):
        task_reassign(task=task, to_user=people.reviewer_d, actor=people.reviewer, reason="x")
    with pytest.raises(RuleViolation):  # holds no reviewer role at the town or above
        task_reassign(task=task, to_user=people.submitter, actor=people.admin, reason="x")
    task.refresh_from_db()
    assert task.owner_id is None
