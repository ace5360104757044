"""The inspectors' step of a case, as every process whose route sends named
inspectors takes it: the district names them (one sheet, hence one task,
each) and each saves or submits their own sheet, the last submission moving
the case on. The process checks who may be named and who may score first,
and keeps its sheet model (an InspectionSheet, the case's `inspections`,
whose score rows, ScoreRow, are its `scores`); the declared decisions are
`assign` and `submit_scores`, the step's actor Assigned(inspectors_owing).

Lock order (docs/lock-order.md): the case's row, then a sheet's."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.audit import log_action
from workflows.exceptions import AlreadyHandled, RuleViolation
from workflows.steps.decisions import decide, do_transition, sync

from .inspections import write_scores
from .sheet import Incomplete, completeness_errors, total_of


def named(user):
    return user.get_full_name() or user.get_username()


def _lock(case, state, message=None):
    locked = type(case).objects.select_for_update(of=("self",)).get(pk=case.pk)
    if locked.state != state:
        raise AlreadyHandled(message)
    return locked


def inspectors_owing(case):
    """Who still owes their scores (one task each): all the named inspectors
    at first; once some have submitted (or one is asked to score again, or
    one more is named), only the others: submitted scores stand."""
    return [sheet.inspector for sheet in case.inspections.filter(submitted_at__isnull=True)
            .select_related("inspector").order_by("assigned_at", "pk")]


def _case_field(sheet_model, case):
    return next(f.name for f in sheet_model._meta.concrete_fields if f.is_relation and f.related_model is type(case))


def assign_inspectors(*, case, actor, inspectors, sheet_model, state, version=None, ip=None):
    """Name `inspectors` (checked by the process) on `case`, awaiting them
    in `state`: one sheet each, then the step's `assign` decision."""
    case_field = _case_field(sheet_model, case)
    with transaction.atomic():
        # The case's row first: two administrators assigning at once wait
        # here, and the second is told the case was handled.
        locked = _lock(case, state)
        # The sheets first: the flow opens one task per inspector.
        sheet_model.objects.bulk_create([sheet_model(**{case_field: locked}, inspector=user, assigned_by=actor)
                                         for user in inspectors])
        decide(case=locked, actor=actor, decision="assign", version=version, ip=ip,
               data={"inspectors": [named(user) for user in inspectors]})
    sync(case, locked)
    return case


def hand_over(sheet, case, actor, *, action, already, organisation, role, ip=None):
    """`save_sheet`'s `take_over` where the district may reassign a sheet's
    task: the sheet becomes `actor`'s, without the former inspector's
    unsubmitted draft (independence: each person's scores are their own),
    audited on the case as `action`; refused with `already` when `actor`
    has a sheet of the case."""
    if case.inspections.filter(inspector=actor).exists():
        raise RuleViolation(already)
    former = sheet.inspector
    sheet.scores.all().delete()
    sheet.inspector, sheet.comment, sheet.total = actor, "", None
    sheet.veto_found = False
    sheet.save()
    log_action(case, action, actor=actor, organisation=organisation, role=role, ip=ip, from_state=case.state,
               to_state=case.state, data={"inspection": sheet.pk, "from": former.pk, "from_name": named(former)})


def save_sheet(*, case, sheet, actor, scores, standard, state, comment="", submit=False, ip=None,
               closed_message=None, take_over=None):
    """An inspector saves, or submits, their own `sheet` of `case` (`scores`:
    SheetForm.answers) while the case is in `state` (else AlreadyHandled
    with `closed_message`). Submitting needs every item scored within its
    points on `standard` (Incomplete names the items and nothing is saved);
    it closes the inspector's task, and the last one moves the case on.
    `take_over(sheet, case, actor)`: called, under the locks, when the
    sheet is not yet `actor`'s (the district gave its task to them)."""
    with transaction.atomic():
        locked_case = _lock(case, state, closed_message)
        locked = type(sheet).objects.select_for_update().get(pk=sheet.pk)
        if locked.submitted_at is not None:
            raise AlreadyHandled(_("You have already submitted your scores."))
        if locked.inspector_id != actor.pk and take_over is not None:
            take_over(locked, locked_case, actor)
        items = list(standard.ordered_items())
        rows = locked.scores
        new, changed = write_scores(items, {s.item_id: s for s in rows.all()}, scores,
                                    lambda item: rows.model(**{rows.field.name: locked}, item=item))
        rows.model.objects.bulk_create(new)
        rows.model.objects.bulk_update(changed, ["score", "veto_applies", "note"])
        saved = list(rows.all())
        values = {s.item_id: s.score for s in saved}
        vetoes = {s.item_id: s.veto_applies for s in saved}
        locked.total, locked.veto_found = total_of(items, values), any(vetoes.values())
        locked.comment = comment or ""
        if submit:
            errors = completeness_errors(items, values, vetoes, {}, who="inspector")
            if errors:
                raise Incomplete(errors)
            locked.submitted_at = timezone.now()
        locked.save()
        if submit:
            # Closes this inspector's task; the last one moves the case on.
            decide(case=locked_case, actor=actor, decision="submit_scores", ip=ip, data={"total": str(locked.total)})
    if submit:
        sync(case, locked_case)
    sheet.submitted_at, sheet.total = locked.submitted_at, locked.total
    return locked


# The district's remedies when the inspectors disagree: the case goes back
# to the inspectors' step (the declared transitions `request_rescore` and
# `add_inspector`) for one of them alone. `reset(locked)` clears what the
# submissions had worked out (a mean, a flag), worked out again when the
# scores are in. The process checks first who may and why.

def rescore(*, case, sheet, actor, reason, version=None, ip=None, reset=None):
    """One inspector scores again: their submitted sheet opens again, their
    scores kept as a draft to revise."""
    def reopen(locked):
        row = type(sheet).objects.select_for_update().filter(
            pk=sheet.pk, **{_case_field(type(sheet), case): locked}).first()
        if row is None or row.submitted_at is None:
            raise AlreadyHandled()
        row.submitted_at = None
        row.save(update_fields=["submitted_at"])
        if reset is not None:
            reset(locked)

    return do_transition(case=case, actor=actor, code="request_rescore", comment=reason, version=version, ip=ip,
                         check=reopen, data={"inspection": sheet.pk, "inspector": named(sheet.inspector)})


def add_inspector(*, case, inspector, sheet_model, actor, reason, already, version=None, ip=None, reset=None):
    """One more inspector scores the case on their own sheet; the mean is
    then taken over all of them. `already`: the refusal when they score it
    already (with %(name)s)."""
    def add(locked):
        if locked.inspections.filter(inspector=inspector).exists():
            raise RuleViolation(already % {"name": named(inspector)})
        sheet_model.objects.create(**{_case_field(sheet_model, case): locked}, inspector=inspector,
                                   assigned_by=actor)
        if reset is not None:
            reset(locked)

    return do_transition(case=case, actor=actor, code="add_inspector", comment=reason, version=version, ip=ip,
                         check=add, data={"inspector": named(inspector)})
