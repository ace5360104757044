"""The close's rewrite: after it, nothing stored orders or links a ballot to
the code that cast it (docs/ballot-secrecy.md says why this design).

While the vote is open, casting marks the code used and inserts the ballot
in ONE transaction (casting.py), which is what makes a code cast at most one
ballot and never lose one. That transaction leaves traces that link the two
for whoever reads the database: the rows share a transaction id (PostgreSQL
`xmin`), and used codes and new ballots are appended in the same order (the
heap's `ctid`, the order of a dump, SQLite's rowid).

So the close decision, in its own transaction, rewrites every row that
could carry such a trace:

- every ballot of the vote is deleted and inserted again, in random
  order, under a new random id; the receipts are dealt out again at random
  over the ballots (the set of receipts is unchanged, so every voter still
  finds theirs among the counted, but the receipt on a row no longer says
  which grades were its ballot's);
- every row of a ballot (a grade) is deleted and inserted again under a new
  random id, following its ballot's new order;
- every voting code of the vote (used, unused, voided) is deleted and
  inserted again, in random order, keeping its id and values.

Afterwards all these rows carry the close's transaction id, and their
physical order (ctid, dump order, SQLite rowid of ballots) is the shuffle's.
Codes keep their ids: an id orders codes by generation, never by use. On
SQLite the deleted rows' bytes are overwritten (PRAGMA secure_delete), so a
copy of the file (manage.py backup uses the backup API, page by page) holds
no old row either. On PostgreSQL the old row versions are invisible to SQL
and to pg_dump; they stay in the table's files until VACUUM (see the docs).

A ballot model here has a random UUID `id` and a `receipt`; its rows a
random UUID `id` and `ballot_id`. The process's integrity check states what
the rewrite keeps (the same ballots per channel, the same grades per ballot,
the same used codes)."""

import secrets
import uuid

from django.db import connection

# The shuffle's randomness: the operating system's. A test may put a seeded
# random.Random here to make one permutation repeatable.
_random = secrets.SystemRandom()


def _fields(model):
    """The attnames of every stored column of `model`, so columns a later
    change adds are carried over without a change here."""
    return [f.attname for f in model._meta.concrete_fields]


def unlink_ballots_from_codes(ballots, rows, codes):
    """Rewrite the querysets of one vote's `ballots`, their `rows` and its
    `codes` as the module says. Call inside the close decision's
    transaction (all or nothing)."""
    if connection.vendor == "sqlite":
        # Deleted rows are overwritten with zeros, not left in free pages.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    _rewrite_ballots(ballots, rows)
    _rewrite_codes(codes)


def _rewrite_ballots(ballots, rows):
    ballot_model, row_model = ballots.model, rows.model
    ballot_values = list(ballots.values(*_fields(ballot_model)).order_by())
    by_ballot = {}
    for row in rows.values(*_fields(row_model)).order_by():
        by_ballot.setdefault(row["ballot_id"], []).append(row)
    if not ballot_values:
        return
    # A canonical order first (by content, never by id or position), so the
    # permutation below alone decides the new order.
    own = [f for f in _fields(ballot_model) if f not in ("id", "receipt")]
    row_own = [f for f in _fields(row_model) if f not in ("id", "ballot_id")]

    def content(ballot):
        return (tuple(ballot[f] for f in own),
                sorted(tuple(r[f] for f in row_own) for r in by_ballot.get(ballot["id"], [])), ballot["receipt"])

    ballot_values.sort(key=content)
    receipts = sorted(b["receipt"] for b in ballot_values)
    _random.shuffle(ballot_values)
    _random.shuffle(receipts)

    rows.delete()
    ballots.delete()

    new_ballots, new_rows = [], []
    for ballot, receipt in zip(ballot_values, receipts):
        fresh = ballot_model(**{**ballot, "id": uuid.uuid4(), "receipt": receipt})
        new_ballots.append(fresh)
        old = sorted(by_ballot.get(ballot["id"], []), key=lambda r: tuple(r[f] for f in row_own))
        new_rows.extend(row_model(**{**r, "id": uuid.uuid4(), "ballot_id": fresh.id}) for r in old)
    ballot_model.objects.bulk_create(new_ballots)
    row_model.objects.bulk_create(new_rows)


def _rewrite_codes(codes):
    model = codes.model
    values = list(codes.values(*_fields(model)).order_by())
    if not values:
        return
    values.sort(key=lambda c: c["code"])
    _random.shuffle(values)
    codes.delete()
    model.objects.bulk_create([model(**c) for c in values])
