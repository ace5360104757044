"""Paper ballots, entered by two tellers.

One teller keys in a pile (a batch): the number of slips in the pile and one
line per slip, one figure per cadre in the ballot's order (1 优秀, 2 称职,
3 基本称职, 4 不称职, 0 or - blank). A batch whose line count differs from
the declared number is refused. The other teller counts the pile again and
confirms: a different count refuses the batch (to be entered again); the
same count turns the lines into ballots, counted exactly like the phone's."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from workflows.audit import log_action
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation

from .models import GRADE_KEYS, PAPER_STATES, BatchStatus, PaperBatch
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


def do_enter_batch(*, evaluation, declared_count, text, actor):
    if not is_teller(actor, evaluation):
        raise NotAllowed(_("Only the evaluation's tellers enter paper ballots."))
    with transaction.atomic():
        current = lock(evaluation, states=PAPER_STATES)
        cadres = list(current.cadres.all())
        entries = parse_ballot_lines(text, cadres)
        if len(entries) != declared_count:
            raise RuleViolation(
                _("The pile has %(declared)s ballots but %(entered)s were entered: the batch is refused.")
                % {"declared": declared_count, "entered": len(entries)}
            )
        number = (current.paper_batches.aggregate(m=Max("number"))["m"] or 0) + 1
        batch = PaperBatch.objects.create(
            evaluation=current, number=number, declared_count=declared_count, entries=entries, entered_by=actor
        )
        log_action(current, "cadres.evaluation.batch_entered", actor=actor, organisation=current.organisation,
                   data={"batch": number, "ballots": declared_count})
    return batch


def do_confirm_batch(*, batch, counted, actor):
    """The second teller's recount. Same count: the ballots go in; another
    count: the batch is refused and must be entered again."""
    evaluation = batch.evaluation
    if not is_teller(actor, evaluation):
        raise NotAllowed(_("Only the evaluation's tellers confirm paper ballots."))
    with transaction.atomic():
        current = lock(evaluation, states=PAPER_STATES)
        locked = PaperBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != BatchStatus.PENDING:
            raise AlreadyHandled()
        if locked.entered_by_id == actor.pk:
            raise NotAllowed(_("The teller who entered a batch cannot confirm it: the other teller does."))
        locked.confirmed_by = actor
        if counted != locked.declared_count or counted != len(locked.entries):
            locked.status = BatchStatus.REFUSED
            locked.refusal_reason = _("Recounted %(counted)s ballots, %(entered)s entered.") % {
                "counted": counted, "entered": len(locked.entries)}
            locked.entries = []
            locked.save()
            log_action(current, "cadres.evaluation.batch_refused", actor=actor, organisation=current.organisation,
                       data={"batch": locked.number, "declared": locked.declared_count, "counted": counted})
            return locked
        insert_paper_ballots(current, locked.entries)
        # The batch keeps its count, not its ballots: no ballot points back here.
        locked.entries = []
        locked.status = BatchStatus.CONFIRMED
        locked.save()
        log_action(current, "cadres.evaluation.batch_confirmed", actor=actor, organisation=current.organisation,
                   data={"batch": locked.number, "ballots": locked.declared_count})
    batch.refresh_from_db()
    return locked
