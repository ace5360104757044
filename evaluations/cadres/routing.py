"""Runs the declared route (declaration.EVALUATION) on an evaluation.

TODO(issue 7): when workflows.steps.decisions lands on main, `decide` and
`transition` below become thin calls of its `decide` / `do_transition`
(which add the viewflow tasks, the inbox, recusal and notifications). Until
then this is the same contract in small: one transaction, the case's row
locked, the version the actor saw re-checked (a stale one is AlreadyHandled,
HTTP 409), the actor checked against the step's declared role, the hooks
run, the audit entry written."""

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.organisations.access import has_role
from workflows.audit import log_action
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation

from .declaration import EVALUATION
from .models import Evaluation


def _locked(case, version):
    current = Evaluation.objects.select_for_update(of=("self",)).select_related("organisation__parent").get(pk=case.pk)
    if version is not None and int(version) != current.version:
        raise AlreadyHandled()
    return current


def _acting_organisation(step, case):
    return step.actor.at(case)


def may_decide(user, case):
    """The decisions of the open step this user may take (for the page)."""
    step = EVALUATION.step_of_state(case.state)
    if step is None:
        return []
    organisation = _acting_organisation(step, case)
    if organisation is None or not has_role(user, step.actor.role, organisation):
        return []
    return step.decisions_for(case)


def decide(*, case, actor, decision, comment="", version=None, ip=None):
    comment = (comment or "").strip()
    with transaction.atomic():
        current = _locked(case, version)
        step = EVALUATION.step_of_state(current.state)
        if step is None:
            raise AlreadyHandled()
        chosen = step.decision(current, decision)
        if chosen is None:
            raise NotAllowed(_("This decision is not open at this step."))
        organisation = _acting_organisation(step, current)
        if organisation is None or not has_role(actor, step.actor.role, organisation):
            raise NotAllowed(_("This step is not yours to take."))
        if chosen.comment_required and not comment:
            raise RuleViolation(str(chosen.comment_message or _("Please give a comment.")))
        if EVALUATION.before_decision:
            EVALUATION.before_decision(current, chosen, actor)
        from_state = current.state
        current.move_to(chosen.target)
        current.version += 1
        current.save()
        log_action(
            current, EVALUATION.audit_action(chosen.code, chosen.action), actor=actor, organisation=organisation,
            role=step.actor.role, from_state=from_state, to_state=current.state, decision=chosen.code,
            comment=comment, ip=ip,
        )
        if EVALUATION.after_decision:
            EVALUATION.after_decision(current, chosen, actor, None)
    case.refresh_from_db()
    return case


def transition(*, case, actor, code, comment="", version=None, ip=None, roles=("submitter", "chair")):
    """A declared Transition (submitting the plan) by the working body."""
    declared = EVALUATION.transition(code)
    with transaction.atomic():
        current = _locked(case, version)
        if current.state not in declared.sources:
            raise AlreadyHandled()
        if not any(has_role(actor, role, current.organisation) for role in roles):
            raise NotAllowed(_("Only the unit's union may do this."))
        if EVALUATION.before_decision:
            EVALUATION.before_decision(current, declared, actor)
        from_state = current.state
        current.move_to(declared.target)
        current.version += 1
        current.save()
        log_action(
            current, EVALUATION.audit_action(declared.code, declared.action), actor=actor,
            organisation=current.organisation, from_state=from_state, to_state=current.state, comment=comment, ip=ip,
        )
    case.refresh_from_db()
    return case
