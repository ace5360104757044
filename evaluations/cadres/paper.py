"""Paper ballots, keyed by two tellers independently.

Each teller keys the whole pile (a batch) on their own: the number of slips
in the pile and one line per slip, one figure per cadre in the ballot's
order (1 优秀, 2 称职, 3 基本称职, 4 不称职, 0 or - blank). A teller's entry
whose line count differs from their own count is sent back to them (a typo,
nothing is stored). The first entry waits, shown to no one; the second
teller keys the same pile without seeing it and the two are compared in
one transaction, ballot by ballot:

- they agree: the lines become ballots, once, counted exactly like the
  phone's, and the waiting entry is emptied;
- they differ (a count, or any ballot): the batch is refused and both
  entries discarded; the page shows both tellers the positions of the
  ballots that differ, for a recount, and the audit log records them.

The same person can never key both entries. Once the count is sealed (the
tally), no batch is entered or accepted."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from workflows.audit import log_action
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation

from .models import GRADE_KEYS, PAPER_STATES, RESULT_STATES, BatchStatus, PaperBatch
from .services import lock
from .voting import insert_paper_ballots


def is_teller(user, evaluation):
    return evaluation.tellers.filter(pk=user.pk).exists()


def parse_ballot_lines(text, cadres):
    """[{cadre_id: grade}] from the typed lines, or RuleViolation naming
    every wrong line."""
    entries, errors = [], []
    lines = [line for line in (text or "").splitlines() if line.strip()]
    for number, line in enumerate(lines, 1):
        keys = "".join(line.split()).replace("，", "").replace(",", "")
        if len(keys) != len(cadres):
            errors.append(
                _("Line %(n)s: %(got)s grades for %(want)s cadres.") % {"n": number, "got": len(keys), "want": len(cadres)}
            )
            continue
        bad = [k for k in keys if k not in GRADE_KEYS]
        if bad:
            errors.append(_("Line %(n)s: “%(key)s” is not a grade (1–4, or 0 / - for a blank).") % {"n": number, "key": bad[0]})
            continue
        entries.append({str(cadre.pk): GRADE_KEYS[k] for cadre, k in zip(cadres, keys)})
    if errors:
        raise RuleViolation(errors)  # a list: one message per wrong line
    return entries


SEALED_MESSAGE = _lazy(
    "The count is sealed: once tallied, no ballot can be added or removed. "
    "Only the district can reopen the count, publicly and with a reason."
)


def lock_open_count(evaluation):
    """The evaluation, locked, if ballots may still come in; a sealed count
    (tallied) is a RuleViolation, any other state AlreadyHandled."""
    current = lock(evaluation)
    if current.state in RESULT_STATES:
        raise RuleViolation(str(SEALED_MESSAGE))
    if current.state not in PAPER_STATES:
        raise AlreadyHandled(_("The evaluation has moved on; this can no longer be done."))
    return current


def _parse_entry(current, declared_count, text):
    entries = parse_ballot_lines(text, list(current.cadres.all()))
    if len(entries) != declared_count:
        raise RuleViolation(
            _("The pile has %(declared)s ballots but %(entered)s were entered: the batch is refused.")
            % {"declared": declared_count, "entered": len(entries)}
        )
    return entries


def check_category(evaluation, category):
    """A weighted evaluation's pile belongs to one of its rater categories;
    an unweighted one's to none."""
    categories = [c for c, _w in evaluation.category_weights]
    if categories and category not in categories:
        raise RuleViolation(_("Say which rater category the pile is from."))
    if not categories and category:
        raise RuleViolation(_("This evaluation has no rater categories."))


def do_enter_batch(*, evaluation, declared_count, text, actor, category=""):
    """The first teller's entry of a pile: stored, shown to no one, until
    the second teller's entry is compared with it."""
    if not is_teller(actor, evaluation):
        raise NotAllowed(_("Only the evaluation's tellers enter paper ballots."))
    with transaction.atomic():
        current = lock_open_count(evaluation)
        check_category(current, category)
        entries = _parse_entry(current, declared_count, text)
        number = (current.paper_batches.aggregate(m=Max("number"))["m"] or 0) + 1
        batch = PaperBatch.objects.create(
            evaluation=current, number=number, declared_count=declared_count, entries=entries, entered_by=actor,
            category=category,
        )
        log_action(current, "cadres.evaluation.batch_entered", actor=actor, organisation=current.organisation,
                   data={"batch": number, "ballots": declared_count})
    return batch


def differing_positions(first, second):
    """The 1-based positions in the pile of the ballots the two entries key
    differently (the entries have the same length)."""
    return [position for position, (a, b) in enumerate(zip(first, second), 1) if a != b]


def _lock_batch(batch):
    """The batch's row, locked until the confirming transaction ends: two
    second entries of one batch (a double click, two tabs) queue here and
    the later one finds it no longer pending."""
    return PaperBatch.objects.select_for_update().get(pk=batch.pk)


def do_confirm_batch(*, batch, declared_count, text, actor):
    """The second teller's own entry of the same pile, compared with the
    first ballot by ballot: equal, the ballots go in once; different, the
    batch is refused naming the ballots that differ."""
    evaluation = batch.evaluation
    if not is_teller(actor, evaluation):
        raise NotAllowed(_("Only the evaluation's tellers confirm paper ballots."))
    with transaction.atomic():
        current = lock_open_count(evaluation)
        locked = _lock_batch(batch)
        if locked.status != BatchStatus.PENDING:
            raise AlreadyHandled()
        if locked.entered_by_id == actor.pk:
            raise NotAllowed(_("The same person cannot be both tellers of a batch: the other teller keys it again."))
        # The second entry is checked on its own first (a typo is the
        # teller's to fix, nothing compared yet), then compared, never stored.
        second = _parse_entry(current, declared_count, text)
        locked.confirmed_by = actor
        locked.second_count = declared_count
        if declared_count != locked.declared_count:
            differing = []
        else:
            differing = differing_positions(locked.entries, second)
        if declared_count != locked.declared_count or differing:
            locked.status = BatchStatus.REFUSED
            locked.differing = differing
            locked.entries = []
            locked.save()
            log_action(current, "cadres.evaluation.batch_refused", actor=actor, organisation=current.organisation,
                       data={"batch": locked.number, "declared": locked.declared_count, "counted": declared_count,
                             "differing": differing})
            return locked
        insert_paper_ballots(current, locked.entries, category=locked.category)
        # The batch keeps its count, not its ballots: no ballot points back here.
        locked.entries = []
        locked.status = BatchStatus.CONFIRMED
        locked.save()
        log_action(current, "cadres.evaluation.batch_confirmed", actor=actor, organisation=current.organisation,
                   data={"batch": locked.number, "ballots": locked.declared_count})
    return locked
