"""Runs the declared route (declaration.EVALUATION) on an evaluation,
through the engine's one decision service (workflows.steps.decisions): the
case's row locked, the version re-checked (a stale one is AlreadyHandled,
HTTP 409), the open task checked against the actor (delegation, recusal,
four eyes), the hooks run, the audit entry written, the flow routed, the
next actors notified."""

from workflows.steps.decisions import decide as engine_decide
from django.utils.translation import gettext as _

from workflows.exceptions import RuleViolation
from workflows.steps.decisions import buttons_for, decision_step, do_transition, may_take

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


def may_reopen(user, case):
    """The district's reopen_count transition, if `user` may take it now
    (for the page; the service checks again)."""
    return next((b for b in buttons_for(user, case, transitions=("reopen_count",))
                 if getattr(b, "code", "") == "reopen_count" and hasattr(b, "sources")), None)


def reopen_count(*, case, actor, reason, version=None, ip=None):
    """The district reopens a tallied count for a recount: a decision of its
    own, through the engine (row lock, version, audit naming the actor),
    with the reason, which the public page shows. The audit entry keeps
    what the reopened tally said."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Say why the count is reopened: the public page shows it."))
    return do_transition(case=case, actor=actor, code="reopen_count", comment=reason, version=version, ip=ip,
                         data={"ballots": case.ballots_counted, "outcome": case.outcome})
