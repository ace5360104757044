"""`manage.py check_integrity` counts each evaluation's ballots: a sound
vote (online and paper, tallied) passes; a ballot counted twice, a used
code without its ballot and a tally that disagrees with the ballots are
named."""

import io

import pytest
from django.core.management import CommandError, call_command

from evaluations.cadres.hooks import ballot_problems
from evaluations.cadres.models import Ballot, BallotGrade, Evaluation, VotingCode
from evaluations.cadres.models import EvaluationState as S
from ballots.paper import confirm_batch, enter_batch
from evaluations.cadres.paper import PAPER
from evaluations.cadres.voting import do_cast_ballot
from ballots.models import BallotChannel

from .conftest import finish, grades_for

pytestmark = pytest.mark.django_db


def cast(evaluation, code):
    return do_cast_ballot(evaluation=evaluation, code=code.code, grades=grades_for(evaluation, "excellent", "", "basic", ""))


def test_a_sound_vote_passes(tree, make_evaluation, tellers):
    evaluation = make_evaluation(codes=3, paper_issued=2, entitled=5)
    for code in VotingCode.objects.filter(evaluation=evaluation)[:2]:
        cast(evaluation, code)
    batch = enter_batch(PAPER, case=evaluation, declared_count=2, text="1 1 2 4\n1 2 3 4", actor=tellers[0])
    confirm_batch(PAPER, batch=batch, declared_count=2, text="1 1 2 4\n1 2 3 4", actor=tellers[1])
    finish(tree, evaluation, through=S.TALLIED)
    evaluation.refresh_from_db()
    assert evaluation.ballots_counted == 4
    assert ballot_problems(evaluation) == []
    out = io.StringIO()
    call_command("check_integrity", "--no-documents", stdout=out)
    assert "0 violations" in out.getvalue()


def test_a_ballot_counted_twice_is_named(make_evaluation):
    evaluation = make_evaluation(codes=2)
    ballot = cast(evaluation, VotingCode.objects.filter(evaluation=evaluation).first())
    # The same vote inserted again, as a retried request without the code's lock would.
    twin = Ballot.objects.create(evaluation=evaluation, channel=BallotChannel.ONLINE)
    BallotGrade.objects.bulk_create([BallotGrade(ballot=twin, cadre=g.cadre, grade=g.grade) for g in ballot.grades.all()])
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_integrity", "--no-documents", stdout=io.StringIO(), stderr=err)
    assert (f"Evaluation #{evaluation.pk} ({evaluation.code}): 2 online ballots for 1 used voting codes "
            "(a ballot counted twice)") in err.getvalue()


def test_a_used_code_without_its_ballot_and_a_wrong_tally_are_named(tree, make_evaluation):
    evaluation = make_evaluation(codes=3, entitled=3)
    for code in VotingCode.objects.filter(evaluation=evaluation)[:2]:
        cast(evaluation, code)
    finish(tree, evaluation, through=S.TALLIED)
    VotingCode.objects.filter(evaluation=evaluation, used=False).update(used=True)
    Evaluation.objects.filter(pk=evaluation.pk).update(ballots_counted=5)
    evaluation.refresh_from_db()
    problems = ballot_problems(evaluation)
    assert any("2 online ballots for 3 used voting codes (a used code lost its ballot)" in p for p in problems)
    assert any("the tally counted 5 ballots, 2 were cast" in p for p in problems)


def test_a_ballot_missing_a_grade_is_named(make_evaluation):
    evaluation = make_evaluation(codes=1)
    ballot = cast(evaluation, VotingCode.objects.get(evaluation=evaluation))
    ballot.grades.first().delete()
    assert any("1 ballots do not grade each of the 4 cadres once" in p for p in ballot_problems(evaluation))


def test_a_ballot_added_after_the_tally_or_without_a_weighted_category_is_named(tree, make_evaluation):
    evaluation = make_evaluation(codes=0, paper_issued=2, entitled=2, category_weights=[["中层干部", 40], ["职工代表", 60]])
    finish(tree, evaluation, through=S.TALLIED)
    assert ballot_problems(evaluation) == []
    # Written past the services (they refuse once the count is sealed).
    Ballot.objects.create(evaluation=evaluation, channel=BallotChannel.PAPER)
    problems = ballot_problems(evaluation)
    assert any("1 ballots of no rater category the vote weighs" in p for p in problems)
    assert any("the tally counted 0 ballots, 1 were cast" in p for p in problems)
