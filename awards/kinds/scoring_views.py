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
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from awards.roles import Role
from workflows.organisations.access import has_role
from workflows.scoring.pages import assign_page, sheet_page

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
    return assign_page(
        request, case, candidates=scoring.candidates(case),
        assign=lambda inspectors, version, ip: scoring.do_assign_inspectors(
            case=case, actor=request.user, inspectors=inspectors, version=version, ip=ip),
        title=f"{_('Assign inspectors')} · {case.name}", heading=_("Assign inspectors"),
        subtitle=f"{case.organisation.name} · {case.campaign.title} · {_('Scoring standard')}: "
                 f"{case.campaign.standard_version}",
        intro=_("Choose %(count)s inspectors of the district. Each scores every item on their own task and does "
                "not see the others' scores before submitting their own.") % {"count": scoring.inspectors_needed(case)})


@login_required
@require_http_methods(["GET", "POST"])
def case_score(request, pk):
    """The inspector's own sheet on the case (made for a phone, on site)."""
    case = selectors.case_for(request.user, pk)
    inspection = scoring.own_inspection(request.user, case)
    if inspection is None or case.campaign.standard_version_id is None:
        raise Http404()
    return sheet_page(
        request, case, inspection, items=scoring.items_of(case), rows={s.item_id: s for s in inspection.scores.all()},
        locked=inspection.is_submitted or case.state != KindCaseState.SCORING, version=case.campaign.standard_version,
        save=lambda answers, comment, submit, ip: scoring.do_save_scores(
            case=case, inspection=inspection, actor=request.user, scores=answers, comment=comment, submit=submit,
            ip=ip),
        comment=inspection.comment, title=f"{_('Scoring')} · {case.name}",
        heading=_("Scoring %(name)s") % {"name": case.name},
        subtitle=f"{case.organisation.name} · {case.campaign.title} · {case.campaign.standard_version}",
        links=[(case.get_absolute_url(), _("The case and its answers"))])
