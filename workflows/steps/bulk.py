"""Bulk decisions from the inbox: one decision for several cases of one
step. Each case goes through the one decision service, in its own
transaction, with the version its reviewer saw: a case that changed
meanwhile is reported as such, never forced. The run is recorded as it
goes (workflows.steps.bulk_runs), each case's outcome committed with its
decision, so a run cut off mid-way can say which cases went through."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import BulkItemStatus
from workflows.steps.bulk_runs import finish_run, mark, start_run
from workflows.steps.decisions import decide


@dataclass
class BulkOutcome:
    pk: int
    case: object
    status: str  # "done", "changed", "refused", "invalid", "missing"
    message: str

    @property
    def ok(self):
        return self.status == "done"


def _state_label(case):
    return case.get_state_display() if hasattr(case, "get_state_display") else case.state


def bulk_decisions(step):
    """The decisions of `step` offered for several cases at once: those of
    a bulk step that need no confirmation."""
    return {d.code: d for d in step.decisions if not d.final} if step.bulk else {}


def decide_many(*, process, items, decision, actor, queryset, comment="", ip=None, step=None):
    """`items`: (pk, version seen) pairs; `queryset`: the cases of `process`
    the actor may see (anything outside it is reported missing, as a 404
    would). `step`: the inbox group's step, or None for the step each case
    is in. Returns one BulkOutcome per item, in order."""
    steps = [step] if step is not None else list(process.steps)
    offered = [bulk_decisions(s)[decision] for s in steps if decision in bulk_decisions(s)]
    if not offered:
        raise RuleViolation(_("This decision cannot be taken for several cases at once."))
    if any(d.comment_required for d in offered) and not (comment or "").strip():
        raise RuleViolation(str(offered[0].comment_message or _("A comment is required for this decision.")))
    chosen, seen = [], set()
    for pk, version in items:
        pk, version = int(pk), int(version)
        if pk not in seen:
            seen.add(pk)
            chosen.append((pk, version))
    run = start_run(actor=actor, process=process, decision=decision, model=queryset.model,
                    pks=[pk for pk, _version in chosen])
    outcomes = []
    for position, (pk, version) in enumerate(chosen):
        outcome = _decide_one(process, step, queryset, pk, version, decision, actor, comment, ip,
                              record=lambda locked, position=position: mark(run, position, BulkItemStatus.DONE))
        if not outcome.ok:
            mark(run, position, outcome.status)
        outcomes.append(outcome)
    finish_run(run)
    return outcomes


def _decide_one(process, step, queryset, pk, version, decision, actor, comment, ip, record):
    case = queryset.filter(pk=pk).first()
    if case is None:
        return BulkOutcome(pk, None, "missing", _("Not found."))
    case_step = process.step_of_state(case.state)
    moved_on = getattr(case, "version", version) != version
    if moved_on or case_step is None or (step is not None and case_step is not step):
        return BulkOutcome(pk, case, "changed", _("Changed meanwhile (now %(state)s); not decided.")
                           % {"state": _state_label(case)})
    if decision not in bulk_decisions(case_step):
        return BulkOutcome(pk, case, "refused", _("This decision cannot be taken for several cases at once."))
    try:
        decide(case=case, actor=actor, decision=decision, comment=comment, version=version, ip=ip, record=record)
        return BulkOutcome(pk, case, "done", _("Done: now %(state)s.") % {"state": _state_label(case)})
    except AlreadyHandled:
        case = queryset.model.objects.filter(pk=pk).first() or case
        return BulkOutcome(pk, case, "changed", _("Changed meanwhile (now %(state)s); not decided.")
                           % {"state": _state_label(case)})
    except NotAllowed as exc:
        return BulkOutcome(pk, case, "refused", str(exc) or _("Not yours to decide."))
    except RuleViolation as exc:
        return BulkOutcome(pk, case, "invalid", exc.message)
