"""Departmental sign-offs of enterprise candidates (units and individuals
of state-owned, collective and non-public enterprises), after the district's
review: each department of the district (tax, labour inspection, safety,
environment; audit and discipline inspection for state-owned enterprises)
gives its opinion in parallel. A refusal rejects the nomination with the
department's reason; when every department has agreed the nomination awaits
the public notice."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.steps import flows as engine
from workflows.steps import fanout as signoffs
from workflows.audit import log_action
from workflows.organisations.delegation import on_behalf_of
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import Organisation, Role, SignoffRequest, SignoffStatus

from awards.mayday.flows import MayDayFlow
from awards.mayday.models import Nomination
from awards.mayday.models import NominationState as S
from awards.mayday.services import _after_route, _notify_next_on_commit, _sync


def _my_open_task(nomination, actor, *, lock=False):
    qs = engine.open_tasks(nomination).filter(flow_task=MayDayFlow.signoff)
    if lock:
        qs = qs.select_for_update()
    for task in qs:
        if engine.may_act(actor, task):
            return task
    return None


def nomination_signoff(*, nomination, actor, agreed, comment="", ip=None):
    """One department's opinion. `agreed=False` needs the reason, which the
    nomination's history then shows."""
    comment = (comment or "").strip()
    if not agreed and not comment:
        raise RuleViolation(_("Give the reason for refusing the sign-off."))
    with transaction.atomic():
        # The departments answer in parallel, so no version check here: each
        # answers its own task, and the state says whether the step is open.
        locked = Nomination.objects.select_for_update().select_related("campaign", "organisation").get(pk=nomination.pk)
        if locked.state != S.SIGNOFF:
            raise AlreadyHandled()
        task = _my_open_task(locked, actor, lock=True)
        if task is None:
            if _asked_my_department(locked, actor):
                raise AlreadyHandled()  # my department has answered already
            raise NotAllowed(_("This sign-off is not yours to give."))
        request = SignoffRequest.objects.select_for_update().get(pk=task.data["signoff"])
        if request.status != SignoffStatus.PENDING:
            raise AlreadyHandled()
        principal = on_behalf_of(actor, task)
        department = Organisation.objects.get(pk=request.department_id)
        outcome = signoffs.record_opinion(request, actor=actor, agreed=agreed, opinion=comment, on_behalf_of=principal)
        from_state = locked.state
        if outcome == "refused":
            locked.signoff_refused()
            locked.decided_at = timezone.now()
        elif outcome == "agreed":
            locked.signoffs_complete()
        if outcome != "waiting":
            locked.version += 1
            locked.save()
        engine.complete_task(task, actor)
        log_action(
            locked,
            "awards.nomination.signoff_agreed" if agreed else "awards.nomination.signoff_refused",
            actor=actor, organisation=department, role=Role.DEPARTMENT, from_state=from_state,
            to_state=locked.state, decision="agree" if agreed else "refuse", comment=comment, ip=ip,
            on_behalf_of=principal, data={"signoff": request.pk},
        )
        if outcome != "waiting":
            _after_route(locked)
            _notify_next_on_commit(locked)
    _sync(nomination, locked)
    return nomination


def _asked_my_department(nomination, actor):
    from workflows.organisations.access import memberships

    mine = {m.organisation_id for m in memberships(actor) if m.role == Role.DEPARTMENT}
    return signoffs.signoffs_of(nomination).filter(department_id__in=mine).exists()


def signoffs_of(nomination):
    """Every department's answer, all rounds, for the case page."""
    return signoffs.signoffs_of(nomination)
