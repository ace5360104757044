"""20 voters type the same code at the same moment: exactly one ballot.
Row locks only mean something on a database server: PostgreSQL."""

import threading
import time

import pytest
from django.db import connection, connections

from evaluations.cadres import voting
from evaluations.cadres.models import Ballot, VotingCode
from evaluations.cadres.voting import CodeRefused, do_cast_ballot

from .conftest import grades_for

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the race test needs PostgreSQL row locks: run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 20


def _cast_together(evaluation, code):
    barrier = threading.Barrier(THREADS)
    outcomes = []
    grades = grades_for(evaluation, "excellent", "competent", "basic", "incompetent")

    def run():
        try:
            barrier.wait(timeout=10)
            do_cast_ballot(evaluation=evaluation, code=code, grades=grades)
            outcomes.append("cast")
        except CodeRefused:
            outcomes.append("refused")
        except Exception as exc:  # recorded, so the assertion shows it
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def test_20_threads_with_one_code_make_one_ballot(make_evaluation):
    evaluation = make_evaluation(codes=3)
    for code in VotingCode.objects.filter(evaluation=evaluation):
        outcomes = _cast_together(evaluation, code.code)
        assert sorted(outcomes) == ["cast"] + ["refused"] * (THREADS - 1), outcomes
    assert Ballot.objects.filter(evaluation=evaluation).count() == 3
    assert VotingCode.objects.filter(evaluation=evaluation, used=True).count() == 3


def test_without_the_row_lock_the_race_is_real(make_evaluation, monkeypatch):
    """The control: read the code without the lock (and pause where a slow
    request would) and several threads cast with one code."""

    def unlocked(evaluation, code):
        row = VotingCode.objects.filter(evaluation=evaluation, code=code).first()
        time.sleep(0.3)
        return row

    monkeypatch.setattr(voting, "_lock_code", unlocked)
    evaluation = make_evaluation(codes=1)
    code = VotingCode.objects.get(evaluation=evaluation)
    outcomes = _cast_together(evaluation, code.code)
    assert outcomes.count("cast") > 1
    assert Ballot.objects.filter(evaluation=evaluation).count() == outcomes.count("cast")
