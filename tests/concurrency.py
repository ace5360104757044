"""Helpers of the race tests: people acting at the same moment, each on a
connection of their own, and the engine with its row locks taken out (the
control experiment that shows what the locks prevent)."""

import threading
import time

import pytest
from django.db import connection, connections

from workflows.exceptions import AlreadyHandled

# The marks of a race test: row locks only mean something on a database
# server, and each thread needs to see what the others committed.
RACE_MARKS = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the race test needs PostgreSQL row locks: run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_together(actors, load, act):
    """Each actor loads what they see (`load()`), then all act at once
    (`act(actor, seen)`). Returns the sorted outcomes: "won", "already
    handled", or the repr of any other exception (so an assertion shows it)."""
    barrier = threading.Barrier(len(actors))
    outcomes = []

    def run(actor):
        try:
            seen = load()
            barrier.wait(timeout=10)
            act(actor, seen)
            outcomes.append("won")
        except AlreadyHandled:
            outcomes.append("already handled")
        except Exception as exc:
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(actor,)) for actor in actors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(outcomes)


def remove_decision_locks(monkeypatch, pause=0.3):
    """Replace the decision service's case and task locks by plain reads,
    with a pause where a slow request would pause."""
    from workflows.steps import actors, decisions

    def unlocked_case(case, *, check_version=True):
        current = type(case).objects.get(pk=case.pk)
        if current.state != case.state or (check_version and current.version != case.version):
            raise AlreadyHandled()
        time.sleep(pause)
        return current

    def unlocked_task(actor, case, step_name):
        task = actors.open_tasks_of_step(case, step_name).first()
        if task is None:
            raise AlreadyHandled()
        return task

    monkeypatch.setattr(decisions, "lock_case", unlocked_case)
    monkeypatch.setattr(decisions, "lock_task_for", unlocked_task)
