"""The close's rewrite of an evaluation's ballots, grades and voting codes:
after it, nothing stored orders or links a ballot to the code that cast it
(the engine's ballots.unlinking says how, docs/ballot-secrecy.md
why). Run by the close decision (hooks.after_decision) inside its
transaction; integrity.ballot_problems checks what it keeps."""

from ballots import unlinking

from .models import Ballot, BallotGrade, VotingCode


def unlink_ballots_from_codes(evaluation):
    unlinking.unlink_ballots_from_codes(Ballot.objects.filter(evaluation=evaluation),
                                        BallotGrade.objects.filter(ballot__evaluation=evaluation),
                                        VotingCode.objects.filter(evaluation=evaluation))
