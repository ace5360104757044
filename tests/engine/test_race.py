"""Two reviewers decide the same toy case at the same moment, each on their
own connection: exactly one wins, the other is told it was already
handled, and one audit entry exists. Without the row locks (the control)
both win. Row locks only mean something on a database server: PostgreSQL."""

from tests.concurrency import RACE_MARKS, remove_decision_locks, run_together
from tests.conftest import make_user
from tests.engine.toy.models import ToyCase
from tests.engine.toy.models import ToyState as S
from workflows.audit import history_of
from workflows.steps.decisions import decide
from workflows.steps.tasks import open_step_names

pytestmark = RACE_MARKS

ROUNDS = 20


def _approve_together(case, actors):
    return run_together(
        actors, lambda: ToyCase.objects.get(pk=case.pk),
        lambda actor, seen: decide(case=seen, actor=actor, decision="approve"),
    )


def _approvals(case):
    return [e for e in history_of(case) if e.from_state == S.SUBMITTED and e.decision == "approve"]


def test_concurrent_decisions_have_one_winner(people, journey):
    colleague = make_user("reviewer2", (people.town, "reviewer"))
    for i in range(ROUNDS):
        case = journey.submitted(title=f"申请{i}")

        outcomes = _approve_together(case, [people.reviewer, colleague])

        assert outcomes == ["already handled", "won"], f"round {i}: {outcomes}"
        case.refresh_from_db()
        assert (case.state, case.version) == (S.INSPECTION, 2)
        assert len(_approvals(case)) == 1, f"round {i}"
        assert open_step_names(case) == ["inspect", "inspect"], f"round {i}"


def test_without_row_locks_the_race_is_real(people, journey, monkeypatch):
    """The control: with the case and task locks taken out, both reviewers
    win and the audit log shows two approvals. This is what the locks
    above prevent."""
    remove_decision_locks(monkeypatch)
    colleague = make_user("reviewer2", (people.town, "reviewer"))
    case = journey.submitted()

    outcomes = _approve_together(case, [people.reviewer, colleague])

    assert outcomes == ["won", "won"]
    assert len(_approvals(case)) == 2
