"""Casting a ballot with a one-time code.

In ONE transaction: lock the code's row (SELECT ... FOR UPDATE), check it is
unused and belongs to this evaluation while voting is open, mark it used,
insert the ballot and its grades. Two requests with the same code queue on
the row lock; the second sees `used` and is refused, so a code makes at most
one ballot (tests/evaluations/cadres/test_concurrency.py).

What is written keeps the vote secret: the code row gets `used = true` and
nothing else; the ballot gets a random id and a random receipt, and neither
row names the other. No audit entry is written for a cast ballot (the
audit log counts the ballots when the vote closes)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .codes import normalise_code
from .models import ABSTAIN, Ballot, BallotChannel, BallotGrade, Grade, VotingCode


class CodeRefused(Exception):
    """The code cannot vote; `message` says why, without saying whether a
    mistyped code exists elsewhere. `kind` is what the rate limit needs:
    only WRONG (no such code in this evaluation) counts as a guess; USED is
    a voter re-opening their slip."""

    MALFORMED, CLOSED, WRONG, USED, BAD_GRADE = "malformed", "closed", "wrong", "used", "bad_grade"

    def __init__(self, message, kind=""):
        super().__init__(message)
        self.message = message
        self.kind = kind


def check_code(evaluation, typed):
    """The stored code if `typed` may open a ballot of `evaluation` now,
    else CodeRefused. Reads only (the cast re-checks under the lock)."""
    code = normalise_code(typed)
    if not code:
        raise CodeRefused(_("This is not a voting code: it has 12 letters and digits, like 7KQ4-M2XD-9PRT."),
                          CodeRefused.MALFORMED)
    if not evaluation.accepts_votes:
        raise CodeRefused(_("Voting is not open for this evaluation."), CodeRefused.CLOSED)
    row = VotingCode.objects.filter(evaluation=evaluation, code=code).values_list("used", "voided").first()
    _refuse_row(row)
    return code


def _refuse_row(row):
    """CodeRefused unless `row` ((used, voided) or None) may vote. A voided
    code (its slip was reported lost and replaced) is refused like a wrong
    one: it counts against the address, as its slip is not the bearer's."""
    if row is None or row[1]:
        raise CodeRefused(_("This code is not valid for this evaluation. Check what you typed."), CodeRefused.WRONG)
    if row[0]:
        raise CodeRefused(_("This code has already been used to vote."), CodeRefused.USED)


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


def _insert_ballot(evaluation, grades, channel, category=""):
    for _attempt in range(5):
        try:
            with transaction.atomic():
                ballot = Ballot.objects.create(evaluation=evaluation, channel=channel, category=category)
                break
        except IntegrityError:  # a receipt drawn twice (2^50 of them): draw again
            continue
    else:
        raise IntegrityError("Could not draw a unique receipt code.")
    BallotGrade.objects.bulk_create(
        [BallotGrade(ballot=ballot, cadre_id=cadre_id, grade=grade) for cadre_id, grade in grades.items()]
    )
    return ballot


def _lock_code(evaluation, code):
    """The code's row, locked until the casting transaction ends."""
    return VotingCode.objects.select_for_update().filter(evaluation=evaluation, code=code).first()


def do_cast_ballot(*, evaluation, code, grades):
    """Cast the ballot `grades` ({cadre_id: grade or ""}) with the one-time
    `code`; returns the ballot (its receipt is shown to the voter)."""
    normalised = normalise_code(code)
    if not normalised:
        raise CodeRefused(_("This is not a voting code: it has 12 letters and digits, like 7KQ4-M2XD-9PRT."),
                          CodeRefused.MALFORMED)
    with transaction.atomic():
        row = _lock_code(evaluation, normalised)
        _refuse_row(None if row is None else (row.used, row.voided))
        evaluation.refresh_from_db(fields=["state"])
        if not evaluation.accepts_votes:
            raise CodeRefused(_("Voting is not open for this evaluation."), CodeRefused.CLOSED)
        cadres = list(evaluation.cadres.all())
        clean = clean_grades(cadres, grades)
        VotingCode.objects.filter(pk=row.pk).update(used=True)
        return _insert_ballot(evaluation, clean, BallotChannel.ONLINE, category=row.category)


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
