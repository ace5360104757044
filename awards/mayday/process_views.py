"""The May Day award's pages for the engine's deeper rules: opening the
public notice of a campaign, departmental sign-offs, bulk decisions from the
inbox, shared quotas; and the context the campaign and nomination pages
show (mix-rule figures, notices, sign-offs, deadlines, reassignment).

Objects come from awards.mayday.selectors (404 outside the user's reach); changes go
through the services (NotAllowed → 403, AlreadyHandled → 409)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from workflows.cases.revisions import field_rows
from workflows.steps import tasks as engine
from workflows.organisations.access import has_role, memberships
from workflows.steps.deadlines import open_deadlines
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.middleware import client_ip
from workflows.models import Objection, ObjectionStatus, OrgKind, Organisation
from awards.roles import Role

from awards.mayday import selectors
from awards.mayday.process_forms import QuotaShareForm, SignoffForm
from awards.mayday.models import Nomination
from awards.mayday.models import NominationState as S
from awards.mayday.notices import campaign_notice_open, campaign_notices, notice_entry_of, notice_preview
from awards.quotas import mix_rule_figures, quota_share
from workflows.quotas.selectors import quota_tree
from awards.mayday.signoffs import asked_my_department, my_open_task, nomination_signoff, signoffs_of


def _is_district_admin_of(user, campaign):
    return has_role(user, Role.DISTRICT_ADMIN, campaign.district)


# What the campaign and nomination pages show ------------------------------------------

def campaign_engine_context(user, campaign):
    district_staff = any(m.organisation_id == campaign.district_id for m in memberships(user))
    reviewer = any(m.role in (Role.REVIEWER, Role.DISTRICT_ADMIN) for m in memberships(user))
    shares = [
        (parent, shares) for parent, shares in quota_tree(campaign)
        if shares and selectors._concerns(user, parent.organisation)
    ]
    return {
        "mix_figures": mix_rule_figures(campaign) if reviewer or district_staff else [],
        "notices": list(campaign_notices(campaign)[:10]),
        "may_open_notice": _is_district_admin_of(user, campaign),
        "awaiting_notice": Nomination.objects.filter(campaign=campaign, state=S.AWAITING_NOTICE).count(),
        "quota_shares": shares,
        "may_share_quota": bool(_shareable_unions(user, campaign).exists()),
    }


def nomination_engine_context(user, nomination):
    district = Organisation.objects.get(pk=nomination.organisation.ancestor_ids[0])
    is_admin = has_role(user, Role.DISTRICT_ADMIN, district)
    district_staff = any(m.organisation_id == district.pk for m in memberships(user))
    entry = notice_entry_of(nomination)
    today = timezone.localdate()
    deadlines = list(open_deadlines(nomination))
    tasks = list(engine.open_tasks(nomination).filter(flow_task_type="HUMAN"))
    return {
        "signoffs": list(signoffs_of(nomination).order_by("-round", "department__path")),
        "notice_entry": entry,
        "open_objections": (
            Objection.objects.filter(entry=entry, status=ObjectionStatus.OPEN).count() if entry else 0
        ),
        "district_staff": district_staff,
        "deadlines": [{"deadline": d, "overdue": d.is_overdue(today)} for d in deadlines],
        "overdue": any(d.is_overdue(today) for d in deadlines),
        "reassignable_tasks": tasks if is_admin else [],
    }


# Public notice ----------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def notice_open(request, code):
    """The notice step's page: the candidates as they will be published,
    the published fields, the window as it will be counted, the notices the
    campaign already has; publishing needs the confirmation posted here."""
    campaign = selectors.get_campaign_for(request.user, code)
    if not _is_district_admin_of(request.user, campaign):
        raise NotAllowed(_("Only the district administrator can open a public notice."))
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        try:
            notice = campaign_notice_open(campaign=campaign, actor=request.user, ip=client_ip(request))
        except RuleViolation as exc:
            messages.error(request, exc.message)
            return redirect(request.path)
        messages.success(
            request,
            _("The public notice is open until %(date)s with %(n)d candidate(s).")
            % {"date": notice.closes_on.isoformat(), "n": notice.entries.count()},
        )
        return redirect("notice_manage", pk=notice.pk)
    return render(request, "awards/notice_preview.html", notice_preview(campaign))


# Departmental sign-offs --------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def signoff(request, pk):
    nomination = selectors.get_nomination_for(request.user, pk)
    # The page is for the officers of the departments asked (an officer
    # whose department has answered still sees it; deciding again is a 409).
    if my_open_task(nomination, request.user) is None and not asked_my_department(nomination, request.user):
        raise NotAllowed(_("This sign-off is not yours to give."))
    form = SignoffForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                nomination_signoff(
                    nomination=nomination, actor=request.user, agreed=form.cleaned_data["agreed"],
                    comment=form.cleaned_data["comment"], ip=client_ip(request),
                )
            except RuleViolation as exc:
                form.add_error("comment", exc.message)
            else:
                messages.success(request, _("Your department's opinion is recorded."))
                return redirect(nomination)
        messages.error(request, _("Please correct the errors below."))
    return render(
        request, "awards/engine/signoff.html",
        {"nomination": nomination, "form": form, "signoffs": signoffs_of(nomination),
         "field_rows": field_rows(nomination)},
    )


# Shared quotas ------------------------------------------------------------------------

def _shareable_unions(user, campaign):
    """Grassroots unions the user may share places with: under an
    intermediate union where they review, or anywhere for the district's
    administrator."""
    if _is_district_admin_of(user, campaign):
        bases = [campaign.district.path]
    else:
        bases = [
            m.organisation.path for m in memberships(user)
            if m.role == Role.REVIEWER and m.organisation.kind == OrgKind.INTERMEDIATE
            and m.organisation.is_within(campaign.district)
        ]
    qs = Organisation.objects.none()
    for path in bases:
        qs = qs | Organisation.objects.filter(kind=OrgKind.GRASSROOTS, path__startswith=path)
    return qs.order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def share_quota(request, code):
    campaign = selectors.get_campaign_for(request.user, code)
    if not _shareable_unions(request.user, campaign).exists():
        raise NotAllowed(_("Only the intermediate union's reviewers share its places."))
    form = QuotaShareForm(
        request.POST or None, organisations=_shareable_unions(request.user, campaign), kinds=campaign.kinds
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                quota_share(
                    campaign=campaign, organisation=form.cleaned_data["organisation"], kind=form.cleaned_data["kind"],
                    count=form.cleaned_data["count"], actor=request.user, ip=client_ip(request),
                )
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The places are shared."))
                return redirect(campaign)
        messages.error(request, _("Please correct the errors below."))
    return render(
        request, "awards/engine/quota_share.html",
        {"campaign": campaign, "form": form,
         "quota_shares": [(p, s) for p, s in quota_tree(campaign) if selectors._concerns(request.user, p.organisation)]},
    )
