"""Editing a case (workflows.cases.editing.lock_for_editing): a draft by
anyone the process lets in; a returned case only by who holds its revise
step; a case handed in, by nobody."""

import pytest
from django.db import transaction

from tests.engine.toy.models import ToyState as S
from workflows.cases.editing import lock_for_editing
from workflows.exceptions import AlreadyHandled, NotAllowed
from workflows.steps.decisions import decide

OPTIONS = dict(editable=(S.DRAFT, S.RETURNED), returned=S.RETURNED, revise_step="revise", refusal="handed in")


def _lock(case, actor):
    with transaction.atomic():
        return lock_for_editing(case, actor, **OPTIONS)


def test_a_draft_is_locked_for_editing(people, journey):
    case = journey.new()
    assert _lock(case, people.submitter).pk == case.pk


def test_a_case_handed_in_is_no_longer_edited(people, journey):
    case = journey.submitted()
    with pytest.raises(AlreadyHandled):
        _lock(case, people.submitter)


def test_a_returned_case_is_edited_by_who_holds_its_revise_step(people, journey):
    case = journey.submitted()
    decide(case=case, actor=people.reviewer, decision="return", comment="补充材料")
    assert case.state == S.RETURNED
    assert _lock(case, people.submitter).state == S.RETURNED
    with pytest.raises(NotAllowed):
        _lock(case, people.reviewer)


def test_a_returned_case_whose_revise_step_was_reassigned_is_edited_by_the_new_holder_only(people, journey):
    """Ported from tests/awards/test_decision_pages.py
    (test_revising_a_returned_nomination_needs_its_revise_task): holding the
    role at the unit is not enough once the step is someone's alone."""
    from tests.conftest import make_user
    from workflows.steps.actors import open_tasks_of_step
    from workflows.steps.assignment import task_reassign

    case = journey.submitted()
    decide(case=case, actor=people.reviewer, decision="return", comment="补充")
    colleague = make_user("submitter2", (people.unit, "submitter"))
    task_reassign(task=open_tasks_of_step(case, "revise").get(), to_user=colleague, actor=people.admin,
                  reason="原填报人休假")
    with pytest.raises(NotAllowed):
        _lock(case, people.submitter)
    assert _lock(case, colleague).pk == case.pk
