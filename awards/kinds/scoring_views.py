"""The pages of the inspectors' scoring step of a kind's route: the
district administrator assigns the case's inspectors; each inspector
scores the case on the campaign's standard (the engine's sheet,
workflows/scoring/_sheet.html with its running totals). Thin: the case
through the scoped selector (404 outside one's reach: an inspector not
assigned to the case has none), then the services (scoring.py). A refused
post comes back with what was chosen or typed and the reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from awards.roles import Role
from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip
from workflows.organisations.access import has_role
from workflows.scoring.forms import InspectorsForm, SheetForm
from workflows.scoring.views import save_sheet
from workflows.scoring.sheet import total_of

from . import scoring, selectors
from .models import KindCaseState


@login_required
@require_http_methods(["GET", "POST"])
def case_assign(request, pk):
    case = selectors.case_for(request.user, pk)
    if not has_role(request.user, Role.DISTRICT_ADMIN, case.campaign.district):
        raise Http404()
    if case.state != KindCaseState.ASSIGNING:
        messages.error(request, _("This case is not awaiting its inspectors."))
        return redirect(case)
    form = InspectorsForm(request.POST or None, initial={"version": case.version},
                          candidates=scoring.candidates(case))
    if request.method == "POST":
        if form.is_valid():
            try:
                scoring.do_assign_inspectors(case=case, actor=request.user,
                                             inspectors=list(form.cleaned_data["inspectors"]),
                                             version=form.cleaned_data["version"], ip=client_ip(request))
            except RuleViolation as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Inspectors assigned; each has their own scoring task."))
                return redirect(case)
        messages.error(request, _("Nothing was saved: correct what is marked below."))
    return render(request, "kinds/case_assign.html", {
        "case": case, "form": form, "needed": scoring.inspectors_needed(case),
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def case_score(request, pk):
    """The inspector's own sheet on the case (made for a phone, on site)."""
    case = selectors.case_for(request.user, pk)
    inspection = scoring.own_inspection(request.user, case)
    if inspection is None or case.campaign.standard_version_id is None:
        raise Http404()
    items = scoring.items_of(case)
    rows = {s.item_id: s for s in inspection.scores.all()}
    form = SheetForm(request.POST or None, items=items, inspector=True, initial_rows=rows)
    locked = inspection.is_submitted or case.state != KindCaseState.SCORING
    status = 200
    if request.method == "POST" and not locked:
        def save(answers, comment, submit):
            scoring.do_save_scores(case=case, inspection=inspection, actor=request.user, scores=answers,
                                   comment=comment, submit=submit, ip=client_ip(request))
        if save_sheet(request, form, save):
            return redirect("kinds:case_score", pk=case.pk)
        status = 400
        values = form.typed_values()
    else:
        values = {s.item_id: s.score for s in rows.values()}
    return render(request, "kinds/case_score.html", {
        "case": case, "inspection": inspection, "form": form, "locked": locked,
        "sections": form.sections(values), "total": total_of(items, values),
        "version": case.campaign.standard_version,
        "comment": request.POST.get("comment", inspection.comment),
    }, status=status)
