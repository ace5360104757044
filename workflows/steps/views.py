"""The inbox and what the district does to a step: reassigning it to one person."""

from workflows.steps.inbox import inbox_page
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from viewflow.workflow.models import Task
from workflows.organisations.access import can_see_organisation, has_role
from workflows.steps.assignment import entitled_to, task_reassign
from workflows.steps.bulk import decide_many
from workflows.steps.bulk_runs import dismiss_run
from workflows.steps.forms import BulkDecisionForm, ReassignForm
from workflows.steps.inbox import step_by_key
from workflows.steps.registry import process_named
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.steps.tasks import OPEN_TASK_STATUSES, acting_pair, case_url
from workflows.middleware import client_ip
from workflows.models import (
    Organisation,
)
from workflows.organisations.recusal import conflict_reason, judges
from workflows.organisations.roles import ADMINISTRATOR, role_label



@login_required
@require_http_methods(["GET", "POST"])
def task_reassign_view(request, pk):
    task = get_object_or_404(
        Task.objects.select_related("process", "owner"), pk=pk, status__in=OPEN_TASK_STATUSES, flow_task_type="HUMAN"
    )
    role, org_id = acting_pair(task)
    organisation = get_object_or_404(Organisation, pk=org_id)
    if not can_see_organisation(request.user, organisation):
        raise Http404
    if not has_role(request.user, ADMINISTRATOR, Organisation.objects.get(pk=organisation.ancestor_ids[0])):
        raise NotAllowed(_("Only the district administrator can reassign a task."))
    case = task.process.artifact
    holders = get_user_model().objects.filter(
        memberships__role=role, memberships__organisation_id__in=organisation.ancestor_ids, is_active=True
    ).distinct().order_by("username")
    candidates = [u.pk for u in holders if entitled_to(u, task) and not (judges(task) and conflict_reason(u, case))]
    form = ReassignForm(request.POST or None, candidates=holders.filter(pk__in=candidates))
    if request.method == "POST":
        if form.is_valid():
            try:
                task_reassign(task=task, to_user=form.cleaned_data["to_user"], actor=request.user,
                              reason=form.cleaned_data["reason"], ip=client_ip(request))
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The step is reassigned."))
                return redirect(_case_url(case) or "inbox")
        messages.error(request, _("Please correct the errors below."))
    return render(
        request, "workflows/engine/reassign.html",
        {"task": task, "case": case, "organisation": organisation, "role": role_label(role), "form": form,
         "case_url": _case_url(case)},
    )


def _case_url(case):
    return case_url(case)


@login_required
def inbox(request):
    """My tasks, grouped by step. Rows of a step the case's process allows
    to decide in bulk (`bulk_steps`, `bulk_url_name` on the case model)
    carry a checkbox; each group posts to that process's bulk view."""
    context = inbox_page(request)
    return render(request, "workflows/inbox.html", context)


@login_required
@require_POST
def bulk_decide(request, process_key=None):
    """One decision for the cases ticked in an inbox group (its step named
    by the form; or, at a process's own bulk URL, the step each case is in);
    each case is decided on its own, and the page reports each outcome."""
    form = BulkDecisionForm(request.POST)
    outcomes = []
    if form.is_valid():
        found = step_by_key(form.cleaned_data["step"]) if form.cleaned_data["step"] else None
        if found is None and process_key:
            found = (process_named(process_key), None)
        if found is None:
            form.add_error(None, _("The page was out of date. Reload it and decide again."))
        else:
            process, step = found
            try:
                outcomes = decide_many(
                    process=process, step=step, items=form.cleaned_data["items"],
                    decision=form.cleaned_data["action"], actor=request.user, comment=form.cleaned_data["comment"],
                    ip=client_ip(request), queryset=process.selector(request.user),
                )
            except RuleViolation as exc:
                form.add_error("comment", exc.message)
    done = sum(o.ok for o in outcomes)
    if outcomes:
        messages.info(request, _("%(done)d of %(total)d decided.") % {"done": done, "total": len(outcomes)})
    status = 200 if form.is_valid() and not form.errors else 400
    return render(request, "workflows/bulk_result.html", {"form": form, "outcomes": outcomes}, status=status)


@login_required
@require_POST
def bulk_run_dismiss(request, pk):
    """The reviewer has read the account of a bulk decision that was cut
    off; another user's run is a 404."""
    if not dismiss_run(user=request.user, run_id=pk):
        raise Http404
    return redirect("inbox")
