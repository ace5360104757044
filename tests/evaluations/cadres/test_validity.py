"""Validity: more than half of those entitled must take part; more ballots
than issued voids the vote; the page and the result sheet say so."""

import pytest

from evaluations.cadres.models import Outcome, VotingCode
from evaluations.cadres.tally import outcome_of
from evaluations.cadres.voting import do_cast_ballot

from .conftest import finish, grades_for

pytestmark = pytest.mark.django_db


def cast(evaluation, n):
    for code in VotingCode.objects.filter(evaluation=evaluation, used=False)[:n]:
        do_cast_ballot(evaluation=evaluation, code=code.code, grades=grades_for(evaluation, "excellent", "competent"))


def test_quorum_not_reached_voids_the_vote(tree, make_evaluation, client):
    evaluation = make_evaluation(codes=20, entitled=20)
    cast(evaluation, 10)  # exactly half: not more than half
    finish(tree, evaluation)
    assert evaluation.outcome == Outcome.VOID_QUORUM and evaluation.is_void
    page = client.get(f"/evaluations/results/{evaluation.code}/")
    assert page.status_code == 200
    assert "无效" in page.content.decode()


def test_more_than_half_is_valid(tree, make_evaluation):
    evaluation = make_evaluation(codes=20, entitled=20)
    cast(evaluation, 11)
    finish(tree, evaluation)
    assert evaluation.outcome == Outcome.VALID and evaluation.ballots_counted == 11


def test_more_ballots_than_issued_voids_the_vote(tree, make_evaluation, tellers):
    """Three codes issued and no paper ballot handed out, yet the tellers
    enter two paper ballots: five ballots from three issued."""
    from ballots.paper import confirm_batch, enter_batch
    from evaluations.cadres.paper import PAPER

    evaluation = make_evaluation(codes=3, entitled=4)
    cast(evaluation, 3)
    batch = enter_batch(PAPER, case=evaluation, declared_count=2, text="1234\n2222", actor=tellers[0])
    confirm_batch(PAPER, batch=batch, declared_count=2, text="1234\n2222", actor=tellers[1])
    finish(tree, evaluation)
    assert evaluation.ballots_counted == 5 and evaluation.ballots_issued == 3
    assert evaluation.outcome == Outcome.VOID_OVER_ISSUED


def test_the_rules_are_settings(make_evaluation):
    evaluation = make_evaluation(to="draft", codes=0, entitled=30, quorum_numerator=2, quorum_denominator=3)
    assert outcome_of(evaluation, cast=20, issued=30) == Outcome.VOID_QUORUM  # 20 is not more than 2/3 of 30
    assert outcome_of(evaluation, cast=21, issued=30) == Outcome.VALID
    evaluation.void_if_over_issued = False
    assert outcome_of(evaluation, cast=31, issued=30) == Outcome.VALID
