"""Paper ballots keyed by two tellers independently, for any process that
holds a vote on paper beside (or instead of) its online ballot.

Each teller keys the whole pile (a batch) on their own: the number of slips
in the pile and one line per slip, in the process's notation (the process
reads the lines: `parse`). A teller's entry whose line count differs from
their own count is sent back to them (a typo, nothing is stored). The first
entry waits, shown to no one; the second teller keys the same pile without
seeing it and the two are compared in one transaction, ballot by ballot:

- they agree: the process stores the lines as ballots, once (`accept`),
  and the waiting entry is emptied;
- they differ (a count, or any ballot): the batch is refused and both
  entries discarded; the page shows both tellers the positions of the
  ballots that differ, for a recount, and the audit log records them.

The same person can never key both entries. Once the process no longer
takes ballots in (`lock_open`, e.g. the count sealed by the tally), no
batch is entered or accepted.

A process declares its `PaperBallots`: its batch model, which has the
fields `number`, `declared_count`, `entries` (JSON), `status` ("pending",
"confirmed", "refused"), `entered_by`, `confirmed_by`, `second_count`,
`differing`, `category` and a foreign key to the case (`case_field`)."""

from dataclasses import dataclass
from typing import Callable, Mapping

from django.db import transaction
from django.db.models import Max

from workflows.audit import log_action
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation

PENDING, CONFIRMED, REFUSED = "pending", "confirmed", "refused"


@dataclass(frozen=True)
class PaperBallots:
    """- ``tellers(case)``: the users who key (a queryset);
    - ``lock_open(case)``: the case, its row locked, while ballots may come
      in; raises (RuleViolation, AlreadyHandled) otherwise;
    - ``parse(case, text)``: the typed lines as entries, or a RuleViolation
      naming each wrong line;
    - ``accept(case, entries, category)``: the agreed entries stored as
      ballots, inside the confirming transaction;
    - ``categories(case)``: the rater categories a pile may be of ([]: none);
    - ``action_prefix``: audit codes <prefix>.batch_entered, .batch_refused,
      .batch_confirmed;
    - ``words``: the process's messages: `not_teller`, `not_teller_confirm`,
      `same_teller`, `which_category`, `no_categories` and `miscounted`
      (with %(declared)s and %(entered)s)."""

    batch_model: type
    case_field: str
    tellers: Callable
    lock_open: Callable
    parse: Callable
    accept: Callable
    categories: Callable
    action_prefix: str
    words: Mapping[str, object]

    def is_teller(self, user, case):
        return self.tellers(case).filter(pk=user.pk).exists()

    def batches(self, case):
        return self.batch_model.objects.filter(**{self.case_field: case})


def _parse_entry(paper, current, declared_count, text):
    entries = paper.parse(current, text)
    if len(entries) != declared_count:
        raise RuleViolation(str(paper.words["miscounted"]) % {"declared": declared_count, "entered": len(entries)})
    return entries


def check_category(paper, case, category):
    """A weighted vote's pile belongs to one of its rater categories; an
    unweighted one's to none."""
    categories = paper.categories(case)
    if categories and category not in categories:
        raise RuleViolation(str(paper.words["which_category"]))
    if not categories and category:
        raise RuleViolation(str(paper.words["no_categories"]))


def enter_batch(paper, *, case, declared_count, text, actor, category=""):
    """The first teller's entry of a pile: stored, shown to no one, until
    the second teller's entry is compared with it."""
    if not paper.is_teller(actor, case):
        raise NotAllowed(paper.words["not_teller"])
    with transaction.atomic():
        current = paper.lock_open(case)
        check_category(paper, current, category)
        entries = _parse_entry(paper, current, declared_count, text)
        number = (paper.batches(current).aggregate(m=Max("number"))["m"] or 0) + 1
        batch = paper.batch_model.objects.create(
            **{paper.case_field: current}, number=number, declared_count=declared_count, entries=entries,
            entered_by=actor, category=category,
        )
        log_action(current, f"{paper.action_prefix}.batch_entered", actor=actor, organisation=current.organisation,
                   data={"batch": number, "ballots": declared_count})
    return batch


def differing_positions(first, second):
    """The 1-based positions in the pile of the ballots the two entries key
    differently (the entries have the same length)."""
    return [position for position, (a, b) in enumerate(zip(first, second), 1) if a != b]


def lock_batch(batch):
    """The batch's row, locked until the confirming transaction ends: two
    second entries of one batch (a double click, two tabs) queue here and
    the later one finds it no longer pending."""
    return type(batch).objects.select_for_update().get(pk=batch.pk)


def confirm_batch(paper, *, batch, declared_count, text, actor):
    """The second teller's own entry of the same pile, compared with the
    first ballot by ballot: equal, the ballots go in once; different, the
    batch is refused naming the ballots that differ."""
    case = getattr(batch, paper.case_field)
    if not paper.is_teller(actor, case):
        raise NotAllowed(paper.words["not_teller_confirm"])
    with transaction.atomic():
        current = paper.lock_open(case)
        locked = lock_batch(batch)
        if locked.status != PENDING:
            raise AlreadyHandled()
        if locked.entered_by_id == actor.pk:
            raise NotAllowed(paper.words["same_teller"])
        # The second entry is checked on its own first (a typo is the
        # teller's to fix, nothing compared yet), then compared, never stored.
        second = _parse_entry(paper, current, declared_count, text)
        locked.confirmed_by = actor
        locked.second_count = declared_count
        if declared_count != locked.declared_count:
            differing = []
        else:
            differing = differing_positions(locked.entries, second)
        if declared_count != locked.declared_count or differing:
            locked.status = REFUSED
            locked.differing = differing
            locked.entries = []
            locked.save()
            log_action(current, f"{paper.action_prefix}.batch_refused", actor=actor, organisation=current.organisation,
                       data={"batch": locked.number, "declared": locked.declared_count, "counted": declared_count,
                             "differing": differing})
            return locked
        paper.accept(current, locked.entries, locked.category)
        # The batch keeps its count, not its ballots: no ballot points back here.
        locked.entries = []
        locked.status = CONFIRMED
        locked.save()
        log_action(current, f"{paper.action_prefix}.batch_confirmed", actor=actor, organisation=current.organisation,
                   data={"batch": locked.number, "ballots": locked.declared_count})
    return locked
