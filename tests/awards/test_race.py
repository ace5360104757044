"""Two reviewers decide the same nomination at the same moment: exactly one
wins, the other is told it was already handled, and one audit entry exists.
Row locks only mean something on a real database server: PostgreSQL."""

from workflows.steps.decisions import decide
from awards.mayday.models import Nomination
from workflows.models import Quota
from awards.mayday.models import NominationState as S
from tests.concurrency import RACE_MARKS, remove_decision_locks, run_together
from workflows.audit import history_of

pytestmark = RACE_MARKS

ROUNDS = 50


def _decide_together(nomination_pk, actors):
    """Each actor loads the nomination as it stands, then all approve at once."""
    return run_together(
        actors, lambda: Nomination.objects.get(pk=nomination_pk),
        lambda actor, seen: decide(decision="approve", case=seen, actor=actor, comment="同意"),
    )


def test_concurrent_approvals_have_one_winner(tree, make_nomination):
    Quota.objects.update(count=ROUNDS + 5)
    for i in range(ROUNDS):
        nomination = make_nomination(id_number=f"11010119850301{i:04d}", nominee_name=f"候选人{i}")
        decide(decision="approve", case=nomination, actor=tree.chair)
        assert nomination.state == S.CONFIRMED

        outcomes = _decide_together(nomination.pk, [tree.reviewer_a, tree.reviewer_a2])

        assert outcomes == ["already handled", "won"], f"round {i}: {outcomes}"
        nomination.refresh_from_db()
        assert nomination.state == S.INTERMEDIATE_APPROVED
        approvals = [e for e in history_of(nomination) if e.from_state == S.CONFIRMED]
        assert len(approvals) == 1, f"round {i}: {len(approvals)} audit entries"


def test_without_row_locks_the_race_is_real(tree, make_nomination, monkeypatch):
    """The control experiment: with the row locks taken out (and a pause
    where a slow request would pause), both reviewers win and the audit log
    shows two approvals. This is what the locks in the test above prevent."""
    remove_decision_locks(monkeypatch)

    nomination = make_nomination()
    decide(decision="approve", case=nomination, actor=tree.chair)
    outcomes = _decide_together(nomination.pk, [tree.reviewer_a, tree.reviewer_a2])

    assert outcomes == ["won", "won"]
    approvals = [e for e in history_of(nomination) if e.from_state == S.CONFIRMED]
    assert len(approvals) == 2
