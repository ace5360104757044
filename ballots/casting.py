"""Casting a ballot with a one-time code.

In ONE transaction: lock the code's row (SELECT ... FOR UPDATE), check it is
unused and may vote (the process's own checks: the vote open, the grades
known), mark it used, insert the ballot. Two requests with the same code
queue on the row lock; the second sees `used` and is refused, so a code
makes at most one ballot (a process proves it with a race on PostgreSQL).

What is written keeps the vote secret: the code row gets `used = true` and
nothing else; the ballot gets a random id and a random receipt, and neither
row names the other. No audit entry is written for a cast ballot (the
audit log counts the ballots when the vote closes)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _


class CodeRefused(Exception):
    """The code cannot vote; `message` says why, without saying whether a
    mistyped code exists elsewhere. `kind` is what the rate limit needs:
    only WRONG (no such code in this vote) counts as a guess; USED is
    a voter re-opening their slip."""

    MALFORMED, CLOSED, WRONG, USED, BAD_GRADE = "malformed", "closed", "wrong", "used", "bad_grade"

    def __init__(self, message, kind=""):
        super().__init__(message)
        self.message = message
        self.kind = kind


def refuse_malformed():
    raise CodeRefused(_("This is not a voting code: it has 12 letters and digits, like 7KQ4-M2XD-9PRT."),
                      CodeRefused.MALFORMED)


def refuse_row(row):
    """CodeRefused unless `row` ((used, voided) or None) may vote. A voided
    code (its slip was reported lost and replaced) is refused like a wrong
    one: it counts against the address, as its slip is not the bearer's."""
    if row is None or row[1]:
        raise CodeRefused(_("This code is not valid for this vote. Check what you typed."), CodeRefused.WRONG)
    if row[0]:
        raise CodeRefused(_("This code has already been used to vote."), CodeRefused.USED)


def cast_with_code(lock, *, check, insert):
    """The cast, in one transaction: `lock()` returns the code's row locked
    (or None), `check(row)` may refuse (CodeRefused) and returns what
    `insert(row, checked)` needs to write the ballot, once the code is
    marked used. Returns the ballot."""
    with transaction.atomic():
        row = lock()
        refuse_row(None if row is None else (row.used, row.voided))
        checked = check(row)
        type(row).objects.filter(pk=row.pk).update(used=True)
        return insert(row, checked)


def create_with_fresh_receipt(model, **fields):
    """A ballot row, its random receipt drawn again should it clash with a
    stored one (2^50 of them), in a savepoint so the cast goes on."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return model.objects.create(**fields)
        except IntegrityError:
            continue
    raise IntegrityError("Could not draw a unique receipt code.")
