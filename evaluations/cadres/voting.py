"""Casting a ballot of an evaluation with a one-time code, through the
engine's secret ballot (ballots.casting: the code's row locked,
checked, marked used and the ballot inserted in ONE transaction, so a code
makes at most one ballot; tests/evaluations/cadres/test_concurrency.py).
Here: what may vote (the evaluation open, a grade for each cadre) and what
a ballot holds (its grades, its channel, its rater category)."""

from django.utils.translation import gettext as _

from ballots.casting import CodeRefused, cast_with_code, create_with_fresh_receipt, refuse_malformed, refuse_row
from ballots.codes import normalise_code
from ballots.models import BallotChannel

from .models import ABSTAIN, Ballot, BallotGrade, Grade, VotingCode


def _refuse_closed(evaluation):
    if not evaluation.accepts_votes:
        raise CodeRefused(_("Voting is not open for this evaluation."), CodeRefused.CLOSED)


def check_code(evaluation, typed):
    """The stored code if `typed` may open a ballot of `evaluation` now,
    else CodeRefused. Reads only (the cast re-checks under the lock)."""
    code = normalise_code(typed) or refuse_malformed()
    _refuse_closed(evaluation)
    refuse_row(VotingCode.objects.filter(evaluation=evaluation, code=code).values_list("used", "voided").first())
    return code


def clean_grades(cadres, chosen):
    """{cadre_id: grade} for every cadre, "" for a blank (an abstention);
    an unknown grade is refused."""
    grades = {}
    for cadre in cadres:
        grade = chosen.get(cadre.pk, ABSTAIN) or ABSTAIN
        if grade != ABSTAIN and grade not in Grade.values:
            raise CodeRefused(_("An unknown grade was sent for %(name)s.") % {"name": cadre.name},
                              CodeRefused.BAD_GRADE)
        grades[cadre.pk] = grade
    return grades


def _lock_code(evaluation, code):
    """The code's row, locked until the casting transaction ends."""
    return VotingCode.objects.select_for_update().filter(evaluation=evaluation, code=code).first()


def do_cast_ballot(*, evaluation, code, grades):
    """Cast the ballot `grades` ({cadre_id: grade or ""}) with the one-time
    `code`; returns the ballot (its receipt is shown to the voter)."""
    normalised = normalise_code(code) or refuse_malformed()

    def check(row):
        evaluation.refresh_from_db(fields=["state"])
        _refuse_closed(evaluation)
        return clean_grades(list(evaluation.cadres.all()), grades)

    def insert(row, clean):
        ballot = create_with_fresh_receipt(Ballot, evaluation=evaluation, channel=BallotChannel.ONLINE,
                                           category=row.category)
        BallotGrade.objects.bulk_create([BallotGrade(ballot=ballot, cadre_id=c, grade=g) for c, g in clean.items()])
        return ballot

    return cast_with_code(lambda: _lock_code(evaluation, normalised), check=check, insert=insert)


def insert_paper_ballots(evaluation, entries, category=""):
    """Ballots from a confirmed paper batch ([{cadre_id: grade}]), in one
    go. Called inside the batch confirmation's transaction."""
    ballots = [Ballot(evaluation=evaluation, channel=BallotChannel.PAPER, category=category) for _ in entries]
    Ballot.objects.bulk_create(ballots)
    BallotGrade.objects.bulk_create(
        [
            BallotGrade(ballot=ballot, cadre_id=int(cadre_id), grade=grade)
            for ballot, entry in zip(ballots, entries)
            for cadre_id, grade in entry.items()
        ]
    )
    return ballots
