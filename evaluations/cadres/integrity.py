"""What `manage.py check_integrity` checks of an evaluation's ballots (the
declaration's `integrity` hook): the engine's checks of a secret ballot
(ballots.integrity: no ballot counted twice, none lost, every
ballot grades every cadre once, every ballot of a weighted evaluation has
one of its rater categories), and that a tally records the ballots there
are (the count is sealed from then on: a ballot added or removed after the
tally shows here)."""

from ballots import integrity

from .models import RESULT_STATES, Ballot, BallotGrade, PaperBatch, VotingCode
from .weights import categories_of


def ballot_problems(evaluation):
    label = f"Evaluation #{evaluation.pk} ({evaluation.code})"
    problems, cast = integrity.ballot_problems(
        label, ballots=Ballot.objects.filter(evaluation=evaluation),
        codes=VotingCode.objects.filter(evaluation=evaluation), batches=PaperBatch.objects.filter(evaluation=evaluation),
        rows=BallotGrade.objects.filter(ballot__evaluation=evaluation), graded=evaluation.cadres.count(),
        graded_name="cadres", categories=categories_of(evaluation))
    if evaluation.state in RESULT_STATES and evaluation.ballots_counted != cast:
        problems.append(f"{label}: the tally counted {evaluation.ballots_counted} ballots, {cast} were cast")
    return problems
