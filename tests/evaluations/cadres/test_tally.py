"""The tally: 3,000 ballots × 20 cadres counted in one aggregate query,
with the figures right; the thresholds at their edges."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.cadres.models import Ballot, BallotGrade, Cadre, Grade
from evaluations.cadres.tally import RESULT_ADJUST, RESULT_PASS, RESULT_WARNING, grade_counts, tally

pytestmark = pytest.mark.django_db

GRADES = [Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT, ""]


def test_3000_ballots_by_20_cadres_in_one_query(make_evaluation):
    cadres = [(f"干部{i:02d}", f"岗位{i:02d}") for i in range(20)]
    evaluation = make_evaluation(codes=0, paper_issued=3000, entitled=3500, cadres=cadres)
    rng = random.Random(9)
    cadre_rows = list(Cadre.objects.filter(evaluation=evaluation))
    ballots = Ballot.objects.bulk_create([Ballot(evaluation=evaluation) for _ in range(3000)])
    expected = {c.pk: {g: 0 for g in GRADES} for c in cadre_rows}
    grades = []
    for ballot in ballots:
        for cadre in cadre_rows:
            grade = rng.choice(GRADES)
            expected[cadre.pk][grade] += 1
            grades.append(BallotGrade(ballot=ballot, cadre=cadre, grade=grade))
    BallotGrade.objects.bulk_create(grades, batch_size=5000)

    with CaptureQueriesContext(connection) as queries:
        rows = grade_counts(evaluation)
    assert len(queries) == 1
    assert "GROUP BY" in queries[0]["sql"].upper() and "COUNT" in queries[0]["sql"].upper()
    assert len(rows) == 20
    for row in rows:
        want = expected[row.pk]
        assert (row.n_excellent, row.n_competent, row.n_basic, row.n_incompetent, row.n_abstained) == tuple(
            want[g] for g in GRADES)

    with CaptureQueriesContext(connection) as queries:
        result = tally(evaluation)
    assert len(queries) == 3  # ballots cast, ballots issued, the grades
    assert result.cast == 3000 and result.issued == 3000 and not result.is_void
    for f in result.rows:
        want = expected[f.cadre.pk]
        graded = 3000 - want[""]
        assert f.base == graded
        assert float(f.excellent_rate) == pytest.approx(100 * want[Grade.EXCELLENT] / graded, abs=0.006)
        assert float(f.competent_or_better_rate) == pytest.approx(
            100 * (want[Grade.EXCELLENT] + want[Grade.COMPETENT]) / graded, abs=0.006)
        # With grades spread evenly, 优秀+称职 is about half: a warning talk for everyone.
        assert RESULT_WARNING in f.results


def _figures_for(make_evaluation, counts, **settings):
    """One cadre, ballots with the given {grade: count}."""
    evaluation = make_evaluation(codes=0, paper_issued=100, entitled=10, cadres=[("张伟", "总经理")], **settings)
    cadre = evaluation.cadres.get()
    for grade, n in counts.items():
        for ballot in Ballot.objects.bulk_create([Ballot(evaluation=evaluation) for _ in range(n)]):
            BallotGrade.objects.create(ballot=ballot, cadre=cadre, grade=grade)
    return tally(evaluation).rows[0]


def test_exactly_two_thirds_is_not_below_two_thirds(make_evaluation):
    f = _figures_for(make_evaluation, {Grade.EXCELLENT: 10, Grade.COMPETENT: 10, Grade.BASIC: 10})
    assert f.results == [] and f.result == RESULT_PASS
    assert str(f.excellent_rate) == "33.33" and str(f.competent_or_better_rate) == "66.67"


def test_below_two_thirds_is_a_warning_talk(make_evaluation):
    f = _figures_for(make_evaluation, {Grade.EXCELLENT: 10, Grade.COMPETENT: 9, Grade.BASIC: 10})
    assert f.result == RESULT_WARNING


def test_incompetent_above_one_third_proposes_adjustment(make_evaluation):
    f = _figures_for(make_evaluation, {Grade.COMPETENT: 5, Grade.INCOMPETENT: 6, "": 7})
    assert f.base == 11 and f.abstained == 7  # a blank is an abstention, not a vote
    assert f.result == RESULT_ADJUST and RESULT_WARNING in f.results


def test_rates_over_all_ballots_when_set(make_evaluation):
    f = _figures_for(make_evaluation, {Grade.EXCELLENT: 6, "": 4}, rate_base="ballots")
    assert f.base == 10 and str(f.excellent_rate) == "60.00" and f.result == RESULT_WARNING
