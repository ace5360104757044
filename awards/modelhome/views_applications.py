"""Pages of the unit, the intermediate union and the inspectors. Thin:
objects come from selectors (404 outside the user's reach), changes go
through services (NotAllowed → 403, AlreadyHandled → 409 by the middleware,
a refused sheet → the form again with what was typed and nothing saved)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from workflows.exceptions import NotAllowed, RuleViolation
from workflows.middleware import client_ip
from workflows.cases.case_form_page import bound, case_form_page
from workflows.cases.case_page import case_page_context
from workflows.cases.form_page import save_case_form
from workflows.documents.xlsx import xlsx_response
from workflows.pages.forms import confirm_page, confirmed
from workflows.scoring.rows import label_attachments, read_sections
from workflows.scoring.pages import sheet_page
from workflows.scoring.sheet import Incomplete
from workflows.scoring.side_by_side import scores_workbook

from . import selectors, services
from .declaration import MODEL_HOME
from .forms import ApplicationForm
from .models import Application, AppState


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, code=None, pk=None):
    """The application, item by item, with running totals (the engine's
    case form page). New (from a campaign) or a draft / returned one of the
    user's unit."""
    units = ()
    if pk is not None:
        application = selectors.application_for(request.user, pk)
        if not services.is_applicant(request.user, application):
            raise NotAllowed(_("Only the unit's submitter can fill in its application."))
        if application.state not in (AppState.DRAFT, AppState.RETURNED):
            return redirect(application)
    else:
        campaign = selectors.campaign_for(request.user, code)
        units = list(selectors.applying_units(request.user, campaign))
        if not units:
            raise Http404()
        chosen = next((u for u in units if str(u.pk) == request.POST.get("unit", request.GET.get("unit"))), units[0])
        existing = Application.objects.filter(campaign=campaign, organisation=chosen,
                                              state__in=[AppState.DRAFT, AppState.RETURNED]).first()
        if existing is not None:
            return redirect("modelhome:application_edit", pk=existing.pk)
        application = Application(campaign=campaign, organisation=chosen)
    form = ApplicationForm(*bound(request), application=application, units=units)
    return case_form_page(
        request, application, form, post=lambda form: _save(request, form, application), title=_("Application"),
        heading=_("%(name)s: application for %(level)s") % {"name": application.organisation.name,
                                                            "level": application.get_level_display()},
        subtitle=f"{application.campaign.title} · {application.campaign.standard_version}",
        cancel_url=(application if application.pk else application.campaign).get_absolute_url(),
        attachments=application.attachments.all() if application.pk else (),
        buttons=[("save", _("Save draft"), ""), ("submit", _("Submit to the intermediate union"), "primary")],
        styles=["css/score-sheet.css"], scripts=["js/score-totals.js"], context=form.sheet(request.method == "POST"))


def _save(request, form, application):
    """Save the sheet and the figures, submitting with "submit" (the
    engine's save: a refusal names the items, the chosen files held)."""
    submit = request.POST.get("action") == "submit"

    def save(attachments, ip):
        # Files kept from a post that came back with errors carry their item.
        form.held_kinds([a for a in attachments if hasattr(a, "held_field")])
        try:
            services.application_save(application=application, actor=request.user, answers=form.answers(),
                                      attachments=attachments, submit=submit, ip=ip)
        except Incomplete as exc:
            for item, message in exc.errors:
                form.error_for(item, message)
            raise RuleViolation(_("The application was not submitted and nothing was saved: %(why)s")
                                % {"why": exc.message})
    done = (_("Submitted to the intermediate union.") if submit
            else _("Draft saved. You can come back to it at any time."))
    response = save_case_form(request, application, form.uploads(), save, done, form=form)
    if response is not None and not submit:
        return redirect("modelhome:application_edit", pk=application.pk)
    return response


@login_required
@require_GET
def application_detail(request, pk):
    application = selectors.application_for(request.user, pk)
    user = request.user
    items, values, vetoes, evidence = services.answers_of(application)
    inspections = list(selectors.inspections_visible_to(user, application))
    # Each submitted inspection's item notes, read through the same
    # independence rules as its scores (selectors.scores_visible_to).
    notes = {}
    for s in selectors.scores_visible_to(user, application).exclude(note="").filter(
            inspection__submitted_at__isnull=False).select_related("item").order_by(
            "item__section__position", "item__position", "pk"):
        notes.setdefault(s.inspection_id, []).append(s)
    for inspection in inspections:
        inspection.item_notes = notes.get(inspection.pk, []) if inspection.is_submitted else []
    context = {
        **case_page_context(application),
        "application": application,
        "sections": read_sections(items, values, vetoes, evidence),
        "attachments": label_attachments(application.attachments.all(), items),
        "inspections": inspections,
        "own_inspection": selectors.own_inspection(user, application),
        "is_applicant": services.is_applicant(user, application),
        "may_review": application.state == AppState.SUBMITTED and services.is_recommender(user, application),
        "is_district_admin": services.is_district_admin_of(user, application.campaign),
        "is_district": selectors.is_district_of(user, application),
        "review_decisions": MODEL_HOME.step("recommend").decisions_for(application),
    }
    return render(request, "modelhome/application_detail.html", context)


@login_required
@require_POST
def application_withdraw(request, pk):
    application = selectors.application_for(request.user, pk)
    if not confirmed(request):
        return confirm_page(
            request, title=_("Withdraw"), heading=_("Withdraw the application?"), submit=_("Yes, withdraw"),
            lines=[_("The application of %(name)s will be withdrawn. This cannot be undone.")
                   % {"name": application.organisation.name}], style="danger",
            back_url=application.get_absolute_url())
    services.application_withdraw(application=application, actor=request.user, ip=client_ip(request))
    messages.success(request, _("The application is withdrawn."))
    return redirect(application)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_edit(request, pk):
    """The inspector's own scoring page (the engine's sheet page)."""
    application = selectors.application_for(request.user, pk)
    inspection = selectors.own_inspection(request.user, application)
    if inspection is None:
        raise Http404()
    # A sheet handed over by the district starts empty: the former
    # inspector's draft is not the new one's.
    own_sheet = inspection.inspector_id == request.user.pk
    return sheet_page(
        request, application, inspection, items=list(application.campaign.standard_version.ordered_items()),
        rows={s.item_id: s for s in inspection.scores.all()} if own_sheet else {},
        locked=inspection.is_submitted or application.state != AppState.INSPECTING,
        version=application.campaign.standard_version, own={a.item_id: a for a in application.answers.all()},
        save=lambda answers, comment, submit, ip: services.inspection_save(
            inspection=inspection, actor=request.user, scores=answers, comment=comment, submit=submit, ip=ip),
        comment=inspection.comment if own_sheet else "", title=_("Inspection"),
        heading=_("Inspecting %(name)s") % {"name": application.organisation.name},
        subtitle=f"{application.get_level_display()} · {application.campaign.title}",
        links=[(application.get_absolute_url(), _("The unit's application and self-assessment")),
               (reverse("modelhome:inspection_download", args=[application.pk]), _("Download scores (Excel)"))])


@login_required
@require_GET
def inspection_download(request, pk):
    """The scores the reader may see, one column each (the engine's
    side-by-side sheet): their own, and the others' only once the reader's
    own are submitted."""
    application = selectors.application_for(request.user, pk)
    inspections = list(selectors.inspections_visible_to(request.user, application))
    if not inspections:
        raise Http404()
    data = scores_workbook(
        application.campaign.standard_version.ordered_items(), inspections,
        {(s.inspection_id, s.item_id): s for s in selectors.scores_visible_to(request.user, application)},
        names=[i.inspector.get_full_name() or i.inspector.get_username() for i in inspections],
        page_title=f"{application} 考核评分")
    return xlsx_response(data, f"inspection-{application.pk}.xlsx")
