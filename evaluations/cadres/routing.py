"""Runs the declared route (declaration.EVALUATION) on an evaluation,
through the engine's one decision service (workflows.steps.decisions): the
case's row locked, the version re-checked (a stale one is AlreadyHandled,
HTTP 409), the open task checked against the actor (delegation, recusal,
four eyes), the hooks run, the audit entry written, the flow routed, the
next actors notified."""

from workflows.steps.decisions import decide as engine_decide
from workflows.steps.decisions import decision_step, do_transition, may_take

from .hooks import check_plan


def may_decide(user, case):
    """The decisions of the open step this user may take (for the page)."""
    step = decision_step(case)
    if step is None or step.manual or not may_take(user, case):
        return []
    return step.decisions_for(case)


def decide(*, case, actor, decision, comment="", version=None, ip=None):
    return engine_decide(case=case, actor=actor, decision=decision, comment=comment, version=version, ip=ip)


def submit(*, case, actor, version=None, ip=None):
    """The working body sends the plan to the superior union (starts the
    flow); the plan must be complete."""
    return do_transition(case=case, actor=actor, code="submit", version=version, ip=ip, check=check_plan)
