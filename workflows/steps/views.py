"""The inbox and what the district does to a step: reassigning it to one person."""

from workflows.steps.inbox import inbox_page
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from viewflow.workflow.models import Task
from workflows.organisations.access import can_see_organisation, has_role
from workflows.organisations.delegation import entitled_to, task_reassign
from workflows.steps.forms import ReassignForm
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.steps.flows import OPEN_TASK_STATUSES, acting_pair
from workflows.middleware import client_ip
from workflows.models import (
    Organisation,
    Role,
)



@login_required
@require_http_methods(["GET", "POST"])
def task_reassign_view(request, pk):
    from workflows.organisations.recusal import RECUSAL_ROLES, conflict_reason

    task = get_object_or_404(
        Task.objects.select_related("process", "owner"), pk=pk, status__in=OPEN_TASK_STATUSES, flow_task_type="HUMAN"
    )
    role, org_id = acting_pair(task)
    organisation = get_object_or_404(Organisation, pk=org_id)
    if not can_see_organisation(request.user, organisation):
        raise Http404
    if not has_role(request.user, Role.DISTRICT_ADMIN, Organisation.objects.get(pk=organisation.ancestor_ids[0])):
        raise NotAllowed(_("Only the district administrator can reassign a task."))
    case = task.process.artifact
    holders = get_user_model().objects.filter(
        memberships__role=role, memberships__organisation_id__in=organisation.ancestor_ids, is_active=True
    ).distinct().order_by("username")
    candidates = [u.pk for u in holders if entitled_to(u, task) and not (role in RECUSAL_ROLES and conflict_reason(u, case))]
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
        {"task": task, "case": case, "organisation": organisation, "role": Role(role).label, "form": form,
         "case_url": _case_url(case)},
    )


def _case_url(case):
    from workflows.organisations.delegation import case_url

    return case_url(case)


@login_required
def inbox(request):
    """My tasks, grouped by step. Rows of a step the case's process allows
    to decide in bulk (`bulk_steps`, `bulk_url_name` on the case model)
    carry a checkbox; each group posts to that process's bulk view."""
    context = inbox_page(request)
    return render(request, "workflows/inbox.html", context)

