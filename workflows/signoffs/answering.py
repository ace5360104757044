"""A department's answer on a case's sign-off step, for any process whose
route has one (a fan-out step whose decisions are "agree" and "refuse"):
the service the engine's sign-off page (workflows.signoffs.views) calls,
through the engine's decision service, and the hook that writes the
answer on the department's request."""

from django.utils.translation import gettext as _

from workflows.audit import history_of
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.organisations.delegation import on_behalf_of
from workflows.security.identity_reads import grant_as_asked_department
from workflows.signoffs.services import record_opinion
from workflows.steps.actors import task_for
from workflows.steps.decisions import decide, decision_step
from workflows.steps.tasks import acting_pair


def answer_signoff(*, case, actor, agreed, role, comment="", ip=None, step="signoff"):
    """The opinion of the actor's department (officers hold `role`). A
    refusal needs its reason, which the case's history then shows; a case
    no longer at the `step`, or a department that has answered already, is
    handled (409); a sign-off that is not the actor's is refused."""
    comment = (comment or "").strip()
    if not agreed and not comment:
        raise RuleViolation(_("Give the reason for refusing the sign-off."))
    open_step = decision_step(case)
    if open_step is None or open_step.name != step:
        raise AlreadyHandled()
    if task_for(actor, case, step) is None:
        if grant_as_asked_department(actor, case, role) is not None:
            raise AlreadyHandled()  # the department has answered already
        raise NotAllowed(_("This sign-off is not yours to give."))
    return decide(case=case, actor=actor, decision="agree" if agreed else "refuse", comment=comment, ip=ip)


def record_answer(case, decision, actor, task):
    """From the process's `after_decision` hook: an "agree" or "refuse"
    decision on the sign-off step is written on the department's pending
    request (workflows.signoffs.services.record_opinion), with the
    decision's comment as its opinion and whom the actor stood in for."""
    if decision.code not in ("agree", "refuse"):
        return
    # The decision's own entry is the case's latest (history_of inserts
    # what the decision holds back first).
    entry = history_of(case).order_by("-created", "-pk").first()
    record_opinion(case, acting_pair(task)[1], actor=actor, agreed=decision.code == "agree",
                   opinion=entry.comment if entry else "", on_behalf_of=on_behalf_of(actor, task))
