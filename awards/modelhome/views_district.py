"""The district's pages: campaigns, inspectors' assignment, the side-by-side
comparison with its remedies and the public notice. The decision page, the
scoring standards' pages, the assignment page and the remedies are the
engine's (workflows.steps.decision_page, workflows.scoring.views, .pages,
.remedies): model home gives its services and its words."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from workflows.organisations.administration import administered_district, administered_district_ids
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.middleware import client_ip
from workflows.pages.forms import confirm_page, confirmed
from workflows.cases.list_views import table_row
from workflows.cases.lists import Column
from workflows.cases.setup import round_setup_page
from workflows.pages.listing import round_list_page
from workflows.scoring.inspections import comparison_rows
from workflows.scoring.pages import assign_page
from workflows.scoring.remedies import REMEDIES, remedy_forms, take_remedy

from . import decisions, selectors, services
from .campaigns import campaign_facts, do_open_campaign, units_reached
from .forms import CampaignOpenForm, NoticeHoldForm
from .lists import CAMPAIGN_APPLICATIONS, panels
from .models import AppKind, AppState


CAMPAIGN_COLUMNS = (
    Column(gettext_lazy("Campaign"), lambda c: c.title, link=True, note=lambda c: c.code),
    Column(gettext_lazy("Year"), lambda c: c.year),
    Column(gettext_lazy("Scoring standard"), lambda c: c.standard_version),
    Column(gettext_lazy("Title term (years)"), lambda c: c.term_years),
)


@login_required
@require_GET
def index(request):
    """The campaigns of the user's districts (the engine's round list),
    under the app's navigation and the inspector's own scoring tasks."""
    return round_list_page(
        request, selectors.campaigns_visible_to(request.user).order_by("-year", "code"),
        title=_("Model workers' home (模范职工之家 / 小家)"), columns=CAMPAIGN_COLUMNS, empty=_("No campaign yet."),
        links=[(reverse("modelhome:campaign_open"), _("Open a model-home campaign"))]
        if administered_district_ids(request.user) else [],
        header="modelhome/_list_panels.html",
        header_context=panels(request))


@login_required
@require_http_methods(["GET", "POST"])
def campaign_open(request):
    """The district administrator opens a campaign: the engine's set-up
    pages (workflows.cases.setup), the confirmation naming the standard's
    version and listing every unit that may apply."""
    district = administered_district(request.user)
    if district is None:
        raise NotAllowed(_("Only the district administrator opens a campaign."))
    return round_setup_page(
        request, CampaignOpenForm(request.POST or None, district=district), title=_("Open a model-home campaign"),
        cancel_url=reverse("modelhome:index"), header="modelhome/_nav.html", facts=campaign_facts,
        units=lambda form: units_reached(district),
        save=lambda form: do_open_campaign(district=district, campaign=form.instance, actor=request.user,
                                           ip=client_ip(request)),
        done=lambda campaign: _("The campaign %(title)s is open.") % {"title": campaign.title},
    )


@login_required
@require_GET
def campaign_detail(request, code):
    campaign = selectors.campaign_for(request.user, code)
    applications = selectors.visible_applications(request.user).filter(campaign=campaign)
    state = request.GET.get("state", "")
    listed = applications.filter(state=state) if state in AppState.values else applications
    counts = dict(applications.values_list("state").annotate(n=Count("pk")).order_by())
    is_admin = services.is_district_admin_of(request.user, campaign)
    return render(request, "modelhome/campaign_detail.html", {
        "campaign": campaign, "columns": CAMPAIGN_APPLICATIONS,
        "rows": [table_row(CAMPAIGN_APPLICATIONS, a) for a in listed.order_by("state", "organisation__path", "pk")],
        "state_counts": [(value, label, counts.get(value, 0)) for value, label in AppState.choices],
        "state": state, "is_district_admin": is_admin,
        "units": [] if is_admin else list(selectors.applying_units(request.user, campaign)),
        "awaiting_notice": applications.filter(state=AppState.SCORED, kind=AppKind.APPLICATION,
                                               notice_hold="").count(),
    })


@login_required
@require_POST
def notice_open(request, code):
    campaign = selectors.campaign_for(request.user, code)
    if not services.is_district_admin_of(request.user, campaign):
        raise Http404()
    if not confirmed(request):
        scored = campaign.applications.filter(state=AppState.SCORED, kind=AppKind.APPLICATION).select_related(
            "organisation")
        return confirm_page(
            request, title=_("Public notice"), heading=_("Open the public notice?"), submit=_("Open the notice"),
            lines=[_("These applications go on public notice for %(days)s working days; anyone may object.")
                   % {"days": campaign.notice_days}], back_url=campaign.get_absolute_url(),
            items=[f"{a.organisation.name} · {a.get_level_display()} · {a.inspected_total}"
                   for a in scored.filter(notice_hold="")],
            aside=[f"{a.organisation.name} · {a.notice_hold}" for a in scored.exclude(notice_hold="")],
            aside_title=_("Held out of this notice:"))
    try:
        notice = decisions.campaign_notice_open(campaign=campaign, actor=request.user, ip=client_ip(request))
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Public notice open until %(date)s.") % {"date": notice.closes_on.isoformat()})
    return redirect(campaign)


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, pk):
    application = selectors.application_for(request.user, pk)
    if not services.is_district_admin_of(request.user, application.campaign):
        raise NotAllowed(_("Only the district administrator assigns inspectors."))
    return assign_page(
        request, application, candidates=selectors.inspector_candidates(application.campaign.district),
        assign=lambda inspectors, version, ip: services.inspectors_assign(
            application=application, actor=request.user, inspectors=inspectors, version=version, ip=ip),
        title=_("Assign inspectors"), heading=_("Assign inspectors to %(name)s") % {"name": application.organisation.name},
        intro=_("Name two or more inspectors. Each scores every item on their own task and cannot see the others' "
                "scores before submitting their own."))


REMEDY_STATES = (AppState.SCORED, AppState.REINSPECTED)


def _remedy_forms(application, data=None, remedy=None):
    """The district's two remedies for a disagreement (the engine's), bound
    to `data` for the one chosen."""
    return remedy_forms(
        application, data=data, chosen=remedy,
        submitted=application.inspections.filter(submitted_at__isnull=False).select_related("inspector"),
        candidates=selectors.inspector_candidates(application.campaign.district).exclude(
            pk__in=application.inspections.values("inspector_id")))


@login_required
@require_GET
def compare(request, pk):
    """Each inspector's scores side by side, the mean and the disagreement
    flag. Inspections not yet submitted are not shown (selectors)."""
    application = selectors.application_for(request.user, pk)
    return _compare_page(request, application)


def _compare_page(request, application, forms=None, hold_form=None):
    if not selectors.is_district_of(request.user, application):
        raise NotAllowed(_("The comparison is the district's page."))
    is_admin = services.is_district_admin_of(request.user, application.campaign)
    if forms is None and is_admin and application.state in REMEDY_STATES:
        forms = _remedy_forms(application)
    inspections = [i for i in selectors.inspections_visible_to(request.user, application) if i.is_submitted]
    scores = list(selectors.scores_visible_to(request.user, application).filter(
        inspection__in=[i.pk for i in inspections]))
    totals = [i.total for i in inspections]
    return render(request, "modelhome/compare.html", {
        "application": application, "inspections": inspections,
        # Per item: the applicant's score, each inspector's, their mean and spread.
        "rows": comparison_rows(application.campaign.standard_version.ordered_items(), inspections, scores,
                                own={a.item_id: a for a in application.answers.all()}),
        "pending": application.inspections.filter(submitted_at__isnull=True).count(),
        "spread": (max(totals) - min(totals)) if len(totals) > 1 else None,
        "veto_found": any(i.veto_found for i in inspections),
        "is_district_admin": is_admin,
        "rescore_form": forms[0] if forms else None, "third_form": forms[1] if forms else None,
        "hold_form": (hold_form or NoticeHoldForm()) if is_admin and application.state == AppState.SCORED
        and not application.is_reinspection else None,
    })


@login_required
@require_POST
def notice_hold(request, pk):
    """Hold a disputed application out of the public notice, or release it
    for the next one."""
    application = selectors.application_for(request.user, pk)
    form = NoticeHoldForm(request.POST)
    try:
        if request.POST.get("release") == "yes":
            decisions.notice_release(application=application, actor=request.user, ip=client_ip(request))
            messages.success(request, _("Released: the application goes on the next public notice."))
            return redirect("modelhome:compare", pk=application.pk)
        if form.is_valid():
            decisions.notice_hold(application=application, actor=request.user, reason=form.cleaned_data["reason"],
                                  ip=client_ip(request))
            messages.success(request, _("Held out of the public notice."))
            return redirect("modelhome:compare", pk=application.pk)
        messages.error(request, _("Please correct the errors below; nothing was saved."))
    except RuleViolation as exc:
        messages.error(request, exc.message)
    return _compare_page(request, application, hold_form=form)


@login_required
@require_POST
def remedy(request, pk):
    """The district's answer to a disagreement: one inspector re-scores,
    or a third inspector scores (decisions.rescore_request /
    third_inspector_add, through the engine). A refusal re-renders the
    comparison with what was chosen and typed."""
    application = selectors.application_for(request.user, pk)
    if not services.is_district_admin_of(request.user, application.campaign):
        raise NotAllowed(_("Only the district administrator acts on the inspectors' disagreement."))
    choice = request.POST.get("remedy")
    if choice not in REMEDIES or application.state not in REMEDY_STATES:
        messages.error(request, _("This application is not awaiting the comparison."))
        return redirect("modelhome:compare", pk=application.pk)
    forms = _remedy_forms(application, request.POST, choice)
    if take_remedy(
            request, forms,
            rescore=lambda inspection, reason, version, ip: decisions.rescore_request(
                application=application, inspection=inspection, actor=request.user, reason=reason, version=version,
                ip=ip),
            add_inspector=lambda inspector, reason, version, ip: decisions.third_inspector_add(
                application=application, inspector=inspector, actor=request.user, reason=reason, version=version,
                ip=ip)):
        return redirect(application)
    return _compare_page(request, application, forms)
