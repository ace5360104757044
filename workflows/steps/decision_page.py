"""The one decision page, for every decision of every process.

The contract (tests/test_decision_contract.py walks every declared
decision of every registered process through it):

- the buttons are the declaration's: `step.decisions_for(case)` of the step
  open in the case's state, shown to whoever may take it;
- a final decision asks once more on a confirmation page of its own (no
  script needed): nothing changes until the form posted there, which
  carries `confirmed=1`, comes back; a decision whose declaration gives a
  `warning` for this case (closing a vote below its quorum) shows it there
  and is taken only with the box under it ticked (`acknowledged=1`), else
  the confirmation comes back with HTTP 400;
- a refused decision (a process's rule) or an invalid one (no comment where
  one is required, no such decision) re-renders the page with the reason,
  HTTP 400, the comment kept and no confirmation carried over: the next
  choice asks again;
- a stale or replayed form (the case moved on since the page was read)
  answers 409 and names who handled it: "Already handled by someone else"
  or "You have already handled this";
- a case outside the user's scope is a 404 (the process's selector); a
  step of a case they can see but may not take is a 403.

State changes only through `workflows.steps.decisions.decide`, which checks
everything again under the row lock: the page only chooses what to show.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workflows.audit import history_of
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.middleware import client_ip
from workflows.steps.actors import may_act, seen_open_tasks_of_step
from workflows.steps.decisions import decide
from workflows.steps.registry import process_for, process_named
from workflows.steps.tasks import case_url

CONFIRMED = "confirmed"
ACKNOWLEDGED = "acknowledged"


def handled_answer(request, case):
    """The 409 page, naming who handled the case: the latest entry of its
    history is the actor's own (a double click, a replayed form) or
    someone else's."""
    latest = history_of(case).order_by("-created", "-pk").first()
    mine = latest is not None and latest.actor_id == request.user.pk
    headline = _("You have already handled this") if mine else _("Already handled by someone else")
    return render(request, "already_handled.html", {
        "headline": headline, "message": _("The page you decided on was out of date; nothing was changed."),
        "case_url": case_url(case),
    }, status=409)


def _completed_own_task(user, case, step):
    """Has `user` already answered this step of the case (a fan-out step
    keeps its other tasks open after each answer)?"""
    from workflows.steps.tasks import process_of

    flow_process = process_of(case)
    if flow_process is None:
        return False
    node = flow_process.flow_class.instance.node(step.name)
    return flow_process.task_set.filter(flow_task=node, owner=user, status="DONE").exists()


def _seen_version(raw):
    try:
        return int(raw)
    except (TypeError, ValueError, OverflowError):
        return None


def _page(request, case, process, step, decisions, *, status=200, error="", comment=""):
    return render(request, "workflows/decide.html", {
        "case": case, "process": process, "step": step, "decisions": decisions, "error": error,
        "comment": comment, "version": case.version, "case_url": case_url(case),
        "subject": process.subject(case) if process.subject else str(case),
        "panel": process.decision_panel,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def decision_page(request, case):
    """Serve the decision page for `case`, a case the caller looked up
    through the process's selector (so it is in the user's scope)."""
    process = process_for(case)
    if process is None:
        raise Http404
    if case.state == process.initial:
        raise Http404  # not yet submitted: nothing to decide, nothing handled
    step = process.step_of_state(case.state)
    posted = request.method == "POST"
    seen = _seen_version(request.POST.get("version")) if posted else case.version
    if step is None or step.manual:
        # No decision is open: the case was decided (or is not yet submitted).
        return handled_answer(request, case)
    # A fan-out step's answers leave the version as it was until the last
    # one moves the case, so the version tells a stale page at every step.
    if seen is None or seen != case.version:
        return handled_answer(request, case)
    # The step's open tasks as this request sees them: the decision
    # service's own pre-check asks the same question of the same instance.
    if not any(may_act(request.user, t) for t in seen_open_tasks_of_step(case, step.name)):
        if _completed_own_task(request.user, case, step):
            return handled_answer(request, case)
        raise NotAllowed(_("This step is not yours to take."))
    if step.form_url is not None:
        return redirect(step.form_url(case))
    decisions = step.decisions_for(case)
    if not posted:
        return _page(request, case, process, step, decisions)

    comment = (request.POST.get("comment") or "").replace("\x00", "").strip()[:2000]
    chosen = step.decision(case, request.POST.get("decision") or "")
    if chosen is None:
        return _page(request, case, process, step, decisions, status=400, comment=comment,
                     error=_("Choose one of the decisions below."))
    if chosen.comment_required and not comment:
        return _page(request, case, process, step, decisions, status=400, comment=comment,
                     error=str(chosen.comment_message or _("A comment is required for this decision.")))
    warning = chosen.warning(case) if chosen.warning else None
    confirming = {"case": case, "decision": chosen, "comment": comment, "version": case.version,
                  "back_url": request.path, "case_url": case_url(case), "warning": warning}
    if (chosen.final or warning) and request.POST.get(CONFIRMED) != "1":
        return render(request, "workflows/confirm_decision.html", confirming)
    if warning and request.POST.get(ACKNOWLEDGED) != "1":
        return render(request, "workflows/confirm_decision.html", {**confirming, "unacknowledged": True}, status=400)
    try:
        decide(case=case, actor=request.user, decision=chosen.code, comment=comment, version=seen,
               ip=client_ip(request))
    except RuleViolation as refusal:
        case.refresh_from_db()
        return _page(request, case, process, step, decisions, status=400, comment=comment,
                     error=refusal.message)
    except AlreadyHandled:
        case.refresh_from_db()
        return handled_answer(request, case)
    done = process.done_message(case, chosen) if process.done_message else None
    messages.success(request, done or _("Done: %(decision)s.") % {"decision": chosen.label})
    return redirect(case_url(case) or "inbox")


def case_decide(request, process_key, pk):
    """The engine's own address of a decision page: the case is looked up
    through its process's selector (another branch's case is a 404)."""
    try:
        process = process_named(process_key)
    except KeyError:
        raise Http404 from None
    if process.selector is None:
        raise Http404
    case = get_object_or_404(process.selector(request.user), pk=pk) if request.user.is_authenticated else None
    return decision_page(request, case)
