"""Recusal by ID number: a reviewer who declared a person's ID number as
their own does not decide that person's case (a May Day medal, now a case
of the kind `mayday-individual`: its `recusal_subject` carries the ID
number answered).

The rest of this file's delegation, reassignment, recusal, four-eyes,
deadline and notification tests run on the engine's toy process
(tests/engine/test_delegation_more.py and its neighbours,
docs/mayday-as-kinds.md §4.3 item 5)."""

import pytest
from django.contrib.auth import get_user_model

from awards.kinds.models import KindCaseState as S
from tests.conftest import MEDAL_ANSWERS
from workflows.audit import history_of
from workflows.exceptions import NotAllowed
from workflows.models import ConflictDeclaration
from workflows.steps.decisions import decide


def test_self_nomination_is_refused(tree, make_mayday_case):
    ConflictDeclaration.objects.create(user=tree.reviewer_a, relation="self",
                                       person_id_number=MEDAL_ANSWERS["id_number"])
    case = make_mayday_case()
    decide(decision="confirm", case=case, actor=tree.chair)
    assert case.state == S.INTERMEDIATE
    with pytest.raises(NotAllowed):
        decide(decision="forward", case=case, actor=get_user_model().objects.get(pk=tree.reviewer_a.pk))
    case.refresh_from_db()
    assert case.state == S.INTERMEDIATE
    assert "workflows.recusal.refused" in [e.action for e in history_of(case)]
    # The town's other reviewer decides it.
    decide(decision="forward", case=case, actor=tree.reviewer_a2)
    assert case.state == S.DISTRICT
