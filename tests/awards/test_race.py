"""Two reviewers decide the same nomination at the same moment: exactly one
wins, the other is told it was already handled, and one audit entry exists.
Row locks only mean something on a real database server: PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from awards.mayday import services
from awards.mayday.models import Nomination, Quota
from awards.mayday.models import NominationState as S
from workflows.audit import history_of
from workflows.exceptions import AlreadyHandled

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the race test needs PostgreSQL row locks: run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 50


def _decide_together(nomination_pk, actors):
    """Each actor loads the nomination as it stands, then all approve at once."""
    barrier = threading.Barrier(len(actors))
    outcomes = []

    def run(actor):
        try:
            seen = Nomination.objects.get(pk=nomination_pk)
            barrier.wait(timeout=10)
            services.nomination_approve(nomination=seen, actor=actor, comment="同意")
            outcomes.append("won")
        except AlreadyHandled:
            outcomes.append("already handled")
        except Exception as exc:  # recorded, so the assertion shows it
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(actor,)) for actor in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(outcomes)


def test_concurrent_approvals_have_one_winner(tree, make_nomination):
    Quota.objects.update(count=ROUNDS + 5)
    for i in range(ROUNDS):
        nomination = make_nomination(id_number=f"11010119850301{i:04d}", nominee_name=f"候选人{i}")
        services.nomination_approve(nomination=nomination, actor=tree.chair)
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
    import time

    from workflows.steps import actors, decisions

    def unlocked_lock(case, *, check_version=True):
        current = type(case).objects.get(pk=case.pk)
        if current.state != case.state or (check_version and current.version != case.version):
            raise AlreadyHandled()
        time.sleep(0.3)
        return current

    def unlocked_task(actor, case, step_name):
        task = actors.open_tasks_of_step(case, step_name).first()
        if task is None:
            raise AlreadyHandled()
        return task

    monkeypatch.setattr(decisions, "lock_case", unlocked_lock)
    monkeypatch.setattr(decisions, "lock_task_for", unlocked_task)

    nomination = make_nomination()
    services.nomination_approve(nomination=nomination, actor=tree.chair)
    outcomes = _decide_together(nomination.pk, [tree.reviewer_a, tree.reviewer_a2])

    assert outcomes == ["won", "won"]
    approvals = [e for e in history_of(nomination) if e.from_state == S.CONFIRMED]
    assert len(approvals) == 2
