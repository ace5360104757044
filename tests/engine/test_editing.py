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
