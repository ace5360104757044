"""The close's rewrite: after it, nothing stored orders or links a ballot to
the code that cast it (docs/ballot-secrecy.md says why this design).

While the vote is open, casting marks the code used and inserts the ballot
in ONE transaction (voting.py), which is what makes a code cast at most one
ballot and never lose one. That transaction leaves traces that link the two
for whoever reads the database: the rows share a transaction id (PostgreSQL
`xmin`), and used codes and new ballots are appended in the same order (the
heap's `ctid`, the order of a dump, SQLite's rowid).

So the close decision, in its own transaction, rewrites every row that
could carry such a trace:

- every ballot of the evaluation is deleted and inserted again, in random
  order, under a new random id; the receipts are dealt out again at random
  over the ballots (the set of receipts is unchanged, so every voter still
  finds theirs among the counted, but the receipt on a row no longer says
  which grades were its ballot's);
- every grade row is deleted and inserted again under a new random id,
  following its ballot's new order;
- every voting code of the evaluation (used, unused, voided) is deleted and
  inserted again, in random order, keeping its id and values.

Afterwards all these rows carry the close's transaction id, and their
physical order (ctid, dump order, SQLite rowid of ballots) is the shuffle's.
Codes keep their ids: an id orders codes by generation, never by use. On
SQLite the deleted rows' bytes are overwritten (PRAGMA secure_delete), so a
copy of the file (manage.py backup uses the backup API, page by page) holds
no old row either. On PostgreSQL the old row versions are invisible to SQL
and to pg_dump; they stay in the table's files until VACUUM (see the docs).

Invariants kept (integrity.ballot_problems): the same number of ballots per
channel, the same grades per ballot, the same used codes."""

import secrets
import uuid

from django.db import connection

from .models import Ballot, BallotGrade, VotingCode

# The shuffle's randomness: the operating system's. A test may put a seeded
# random.Random here to make one permutation repeatable.
_random = secrets.SystemRandom()


def _fields(model):
    """{attname: value} keys of every stored column of `model`, so columns a
    later change adds are carried over without a change here."""
    return [f.attname for f in model._meta.concrete_fields]


def unlink_ballots_from_codes(evaluation):
    """Rewrite the evaluation's ballots, grades and codes as the module
    says. Call inside the close decision's transaction (all or nothing)."""
    if connection.vendor == "sqlite":
        # Deleted rows are overwritten with zeros, not left in free pages.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    _rewrite_ballots(evaluation)
    _rewrite_codes(evaluation)


def _rewrite_ballots(evaluation):
    ballot_fields = _fields(Ballot)
    grade_fields = _fields(BallotGrade)
    ballots = list(Ballot.objects.filter(evaluation=evaluation).values(*ballot_fields).order_by())
    grades = {}
    for row in BallotGrade.objects.filter(ballot__evaluation=evaluation).values(*grade_fields).order_by():
        grades.setdefault(row["ballot_id"], []).append(row)
    if not ballots:
        return
    # A canonical order first (by content, never by id or position), so the
    # permutation below alone decides the new order.
    def content(ballot):
        return (ballot["channel"], sorted((g["cadre_id"], g["grade"]) for g in grades.get(ballot["id"], [])),
                ballot["receipt"])

    ballots.sort(key=content)
    receipts = sorted(b["receipt"] for b in ballots)
    _random.shuffle(ballots)
    _random.shuffle(receipts)

    BallotGrade.objects.filter(ballot__evaluation=evaluation).delete()
    Ballot.objects.filter(evaluation=evaluation).delete()

    new_ballots, new_grades = [], []
    for ballot, receipt in zip(ballots, receipts):
        old_id = ballot["id"]
        fresh = Ballot(**{**ballot, "id": uuid.uuid4(), "receipt": receipt})
        new_ballots.append(fresh)
        rows = sorted(grades.get(old_id, []), key=lambda g: g["cadre_id"])
        new_grades.extend(BallotGrade(**{**g, "id": uuid.uuid4(), "ballot_id": fresh.id}) for g in rows)
    Ballot.objects.bulk_create(new_ballots)
    BallotGrade.objects.bulk_create(new_grades)


def _rewrite_codes(evaluation):
    codes = list(VotingCode.objects.filter(evaluation=evaluation).values(*_fields(VotingCode)).order_by())
    if not codes:
        return
    codes.sort(key=lambda c: c["code"])
    _random.shuffle(codes)
    VotingCode.objects.filter(evaluation=evaluation).delete()
    VotingCode.objects.bulk_create([VotingCode(**c) for c in codes])
