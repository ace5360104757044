"""The May Day award's pages. Thin: objects come from selectors (404
outside the user's reach), changes go through services (NotAllowed → 403,
AlreadyHandled → 409 by the middleware, RuleViolation → the form again with
the message and nothing saved)."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from workflows.organisations.access import has_role
from workflows.organisations.administration import administered_districts
from workflows.steps.decision_page import decision_page
from workflows.cases.case_page import case_page_context, open_steps
from workflows.cases.revisions import last_entry
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.middleware import client_ip
from workflows.attachments import held as held_uploads
from workflows.attachments import services as attachment_services
from workflows.attachments.views import legacy_download
from workflows.documents.xlsx import xlsx_response
from workflows.mixrules import pages as mix_pages
from workflows.quotas import services as quota_services
from awards.roles import Role

from awards.mayday import id_numbers, process_views

from awards.mayday import selectors

from awards.mayday import services
from awards.mayday.declaration import RETURN, done_message
from awards.mayday.forms import CampaignForm, DecisionForm, NominationForm
from awards.mayday.models import AwardKind, Nomination, NominationState
from awards.rules_forms import MixRuleForm

S = NominationState
PAGE_SIZE = 25


def _form_has_errors(request):
    messages.error(request, _("Please correct the errors below."))


def _nomination_form_has_errors(request, form):
    """The error message, and the chosen files that passed their checks
    kept for the next post (a browser never refills a file input)."""
    _form_has_errors(request)
    held = held_uploads.hold(request, form)
    if held:
        messages.info(
            request,
            _("The attachments you chose are kept and will be saved with the form: %(names)s.")
            % {"names": "、".join(item["name"] for item in held)},
        )
    return held


# Campaigns ------------------------------------------------------------------

@login_required
@require_GET
def campaign_list(request):
    page = Paginator(selectors.campaigns_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/campaign_list.html",
        {"page_obj": page, "may_create": bool(administered_districts(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    districts = administered_districts(request.user)
    if not districts:
        raise NotAllowed(_("Only the district administrator can open a campaign."))
    intermediates = [org for district in districts for org in selectors.intermediates_of(district)]
    form = CampaignForm(request.POST or None, districts=districts, intermediates=intermediates)
    if request.method == "POST":
        if form.is_valid():
            campaign = form.save(commit=False)
            campaign.district = form.chosen_district
            try:
                services.campaign_create(
                    campaign=campaign, quotas=form.quotas(), actor=request.user, ip=client_ip(request)
                )
            except RuleViolation as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The campaign “%(title)s” is open.") % {"title": campaign.title})
                return redirect(campaign)
        else:
            _form_has_errors(request)
    return render(request, "awards/campaign_form.html", {"form": form, "kinds": AwardKind.choices})


@login_required
@require_GET
def campaign_detail(request, code):
    campaign = selectors.get_campaign_for(request.user, code)
    kinds = [(kind, AwardKind(kind).label) for kind in campaign.kinds]
    may_nominate = bool(selectors.submitting_unions(request.user, campaign))
    return render(
        request,
        "awards/campaign_detail.html",
        {
            "campaign": campaign,
            "kinds": kinds,
            "state_counts": selectors.state_counts(campaign, request.user),
            "quota_rows": selectors.quota_table(campaign, request.user),
            "may_nominate": may_nominate and campaign.is_open,
            "is_district_staff": selectors.is_district_staff(request.user, campaign),
            **process_views.campaign_engine_context(request.user, campaign),
        },
    )


@login_required
@require_GET
def award_list(request, code):
    campaign = selectors.get_campaign_for(request.user, code)
    return render(
        request,
        "awards/award_list.html",
        {
            "campaign": campaign,
            "groups": selectors.awarded_groups(campaign, request.user),
            "may_download": selectors.is_district_staff(request.user, campaign),
        },
    )


def _award_list_campaign(request, code):
    """The campaign whose official list (of the whole campaign) `request`'s
    user may download: the district federation's only."""
    campaign = selectors.get_campaign_for(request.user, code)
    if not selectors.is_district_staff(request.user, campaign):
        raise NotAllowed(_("Only the district federation may download the award list."))
    return campaign


def _award_list_filename(campaign, extension):
    return _("Award list %(code)s") % {"code": campaign.code} + f".{extension}"


@login_required
@require_GET
def award_list_pdf(request, code):
    """Rendered once per content (workflows.documents.pdf_cache)."""
    campaign = _award_list_campaign(request, code)
    from awards.mayday import documents  # rendering libraries load only when a list is asked for
    from workflows.documents import pdf_cache

    return pdf_cache.pdf_response(
        request, documents.award_list_html(campaign), _award_list_filename(campaign, "pdf"), as_attachment=True
    )


@login_required
@require_GET
def award_list_xlsx(request, code):
    campaign = _award_list_campaign(request, code)
    from awards.mayday import documents

    return xlsx_response(documents.award_list_xlsx(campaign), _award_list_filename(campaign, "xlsx"))


# Nominations ----------------------------------------------------------------



def _save_nomination(request, form, nomination, action):
    """Save the form, and submit or resubmit in the same transaction: a
    refused submission leaves nothing behind, not even the draft. Returns
    the redirect on success, None when a rule refused it."""
    # Files kept from a post that came back with errors, then the new ones.
    attachments = held_uploads.take(request) + form.unsaved_attachments()
    ip = client_ip(request)
    was_new = nomination.pk is None
    try:
        with transaction.atomic():
            services.nomination_save_draft(nomination=nomination, actor=request.user, attachments=attachments, ip=ip)
            if action == "submit":
                services.nomination_submit(nomination=nomination, actor=request.user, ip=ip)
            elif action == "resubmit":
                services.nomination_resubmit(
                    nomination=nomination, actor=request.user, comment=form.cleaned_data.get("comment", ""), ip=ip
                )
    except RuleViolation as exc:
        attachment_services.discard(attachments)
        if was_new:
            nomination.pk = None
            nomination._state.adding = True
        messages.error(request, exc.message)
        if attachments:
            messages.warning(request, _("Nothing was saved: please choose the attachments again."))
        return None
    except BaseException:
        attachment_services.discard(attachments)
        raise
    done = {
        "submit": _("The nomination is submitted; the union chair confirms it next."),
        "resubmit": _("The nomination is resubmitted; the union chair confirms it next."),
    }
    messages.success(request, done.get(action, _("The draft is saved.")))
    return redirect(nomination)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_create(request):
    code = request.GET.get("campaign")
    if not code:
        messages.info(request, _("Choose a campaign, then the award to nominate for."))
        return redirect("awards:campaign_list")
    campaign = selectors.get_campaign_for(request.user, code)
    kind = request.GET.get("kind")
    if kind not in campaign.kinds:
        raise Http404(_("This campaign does not offer this award."))
    unions = selectors.submitting_unions(request.user, campaign)
    if not unions:
        raise NotAllowed(_("Only a submitter of a grassroots union can nominate."))
    nomination = Nomination(campaign=campaign, kind=kind)
    # Bound on any POST, even an empty one: an unbound form has no errors
    # to show, nor the cleaned data the held uploads read.
    posted = request.method == "POST"
    form = NominationForm(request.POST if posted else None, request.FILES if posted else None, instance=nomination,
                          kind=kind, organisations=unions)
    held = []
    if request.method == "POST":
        if form.is_valid():
            nomination.organisation = form.chosen_organisation
            action = "submit" if request.POST.get("action") == "submit" else "draft"
            response = _save_nomination(request, form, nomination, action)
            if response is not None:
                return response
        else:
            held = _nomination_form_has_errors(request, form)
    elif not campaign.is_open:
        messages.warning(request, _("The submission deadline of this campaign has passed."))
    return render(
        request,
        "awards/nomination_form.html",
        {"form": form, "campaign": campaign, "kind_label": AwardKind(kind).label, "nomination": None, "held": held},
    )


@login_required
@require_http_methods(["GET", "POST"])
def nomination_edit(request, pk):
    nomination = selectors.get_nomination_for(request.user, pk)
    if not has_role(request.user, Role.SUBMITTER, nomination.organisation):
        raise NotAllowed(_("Only a submitter of the nominating union can edit this nomination."))
    if nomination.state not in (S.DRAFT, S.RETURNED):
        messages.error(request, _("This nomination can no longer be edited."))
        return redirect(nomination)
    returned = nomination.state == S.RETURNED
    posted = request.method == "POST"  # bound even when empty (see nomination_create)
    form = NominationForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        instance=nomination,
        kind=nomination.kind,
        organisations=[nomination.organisation],
        comment_field=returned,
        initial={"version": nomination.version},
    )
    form.fields["version"].required = True
    held = []
    if request.method == "POST":
        if form.is_valid():
            # The version the submitter edited: a case that moved meanwhile is refused (409).
            nomination.version = form.cleaned_data["version"]
            posted = request.POST.get("action")
            action = {(S.DRAFT, "submit"): "submit", (S.RETURNED, "resubmit"): "resubmit"}.get(
                (nomination.state, posted), "draft"
            )
            response = _save_nomination(request, form, nomination, action)
            if response is not None:
                return response
        else:
            held = _nomination_form_has_errors(request, form)
    return render(
        request,
        "awards/nomination_form.html",
        {
            "form": form,
            "campaign": nomination.campaign,
            "kind_label": nomination.get_kind_display(),
            "nomination": nomination,
            "returned": returned,
            "last_return": last_entry(nomination, RETURN.action) if returned else None,
            "attachments": nomination.attachments.all(),
            "held": held,
        },
    )


# The page's legacy value for "not awarded" (bookmarked forms post it).
LEGACY_DECISIONS = {"not_award": "decline"}
# What the nomination's own page takes: the declaration's transitions
# (submit, withdraw); every step's decision goes to the engine's page.
TRANSITIONS = ("submit", "withdraw")


def _take_decision(request, nomination, decision, comment):
    """Submit and withdraw are the declaration's transitions (their own
    services check the submission rules); every other button is a decision
    of the step open in the case's state, taken by the engine's service."""
    ip = client_ip(request)
    if decision == "submit":
        services.nomination_submit(nomination=nomination, actor=request.user, ip=ip)
    elif decision == "withdraw":
        services.nomination_withdraw(nomination=nomination, actor=request.user, comment=comment, ip=ip)


def _decision_done_message(decision, nomination):
    return done_message(nomination, decision) or _("Done: now %(state)s.") % {"state": nomination.get_state_display()}


@login_required
@require_http_methods(["GET", "POST"])
def nomination_detail(request, pk):
    nomination = selectors.get_nomination_for(request.user, pk)
    if request.method == "POST" and request.POST.get("decision") not in TRANSITIONS:
        # A step's decision: the engine's decision page takes it (its
        # confirmation, refusals and stale forms are the same for every process).
        if request.POST.get("decision") in LEGACY_DECISIONS:
            request.POST = request.POST.copy()
            request.POST["decision"] = LEGACY_DECISIONS[request.POST["decision"]]
        return decision_page(request, nomination)
    decision_form = DecisionForm(request.POST or None, initial={"version": nomination.version})
    buttons = selectors.available_decisions(request.user, nomination)
    if request.method == "POST":
        if decision_form.is_valid():
            decision = decision_form.cleaned_data["decision"]
            chosen = next((b for b in buttons if b.code == decision), None)
            if chosen is not None and chosen.final and decision_form.cleaned_data["confirmed"] != "1":
                # Withdrawing is final: asked once more, on a page of its own.
                return render(request, "workflows/confirm_decision.html", {
                    "case": nomination, "decision": chosen, "comment": decision_form.cleaned_data["comment"],
                    "version": decision_form.cleaned_data["version"], "back_url": request.path,
                    "case_url": nomination.get_absolute_url(),
                })
            # The version the user saw: a decision on a case that moved is refused (409).
            nomination.version = decision_form.cleaned_data["version"]
            try:
                _take_decision(request, nomination, decision, decision_form.cleaned_data["comment"])
            except RuleViolation as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _decision_done_message(decision, nomination))
                return redirect(nomination)
        elif {"version", "decision"} & set(decision_form.errors):
            messages.error(request, _("The page was out of date. Reload it and decide again."))
        else:
            _form_has_errors(request)
    certificate = selectors.certificate_of(nomination) if nomination.state == S.AWARDED else None
    may_read_id = id_numbers.may_read_full_id_number(request.user, nomination)
    # The full number only when asked for (a link on the page), and recorded.
    full_id = (
        id_numbers.id_number_reveal(nomination=nomination, actor=request.user, where=id_numbers.ON_PAGE, ip=client_ip(request))
        if may_read_id and request.method == "GET" and request.GET.get("id") == "full"
        else ""
    )
    return render(
        request,
        "awards/nomination_detail.html",
        {
            **case_page_context(nomination, revealed={"id_number": full_id}),
            "nomination": nomination,
            "may_reveal_id": may_read_id and not full_id,
            "steps": open_steps(nomination),
            "decisions": buttons,
            "decision_form": decision_form,
            "may_edit": selectors.may_edit(request.user, nomination),
            "certificate": certificate,
            "may_download_certificate": certificate is not None
            and selectors.may_download_certificate(request.user, nomination),
            **process_views.nomination_engine_context(request.user, nomination),
        },
    )


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    """A link from before the engine held the attachments: to the engine's
    download (workflows.attachments.views)."""
    return legacy_download(request, Nomination, pk, attachment_pk)


@login_required
@require_GET
def certificate_download(request, pk):
    """The old address of the nomination page's download: the engine's
    document view serves every certificate (a revoked one stamped 已撤销)."""
    certificate = selectors.get_certificate_for(request.user, pk)
    return redirect("certificate_pdf", pk=certificate.pk)


# The campaign's rules: places and mix rules ---------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def campaign_rules(request, code):
    """The district administrator sets each intermediate union's places and
    the campaign's mix rules; the places go through the engine's quotas
    (workflows.quotas), the mix rules through the engine's rules part
    (workflows.mixrules.pages, on May Day's scheme in awards.quotas)."""
    campaign = selectors.get_campaign_for(request.user, code)
    if not has_role(request.user, Role.DISTRICT_ADMIN, campaign.district):
        raise NotAllowed(_("Only the district administrator sets the quotas and mix rules."))
    rule_form = MixRuleForm(request.POST if request.POST.get("action") == "add_rule" else None)
    quota_rows = selectors.quota_edit_rows(campaign)
    if request.method == "POST":
        action = request.POST.get("action")
        ip = client_ip(request)
        try:
            if action == "quotas":
                changed = quota_services.save_places(
                    scope=campaign, rows=quota_rows, posted=request.POST, actor=request.user, ip=ip
                )
                messages.success(request, _("%(n)d quota(s) changed.") % {"n": changed})
                return redirect("awards:campaign_rules", code=campaign.code)
            if action in mix_pages.ACTIONS and mix_pages.rules_post(request, campaign, rule_form):
                return redirect("awards:campaign_rules", code=campaign.code)
        except RuleViolation as exc:
            messages.error(request, exc.message)
            if action == "quotas":
                quota_rows = selectors.quota_edit_rows(campaign, posted=request.POST)
    return render(
        request,
        "awards/campaign_rules.html",
        {"campaign": campaign, "quota_rows": quota_rows, "kinds": [(k, AwardKind(k).label) for k in campaign.kinds],
         "rules": selectors.mix_rules_of(campaign), "rule_form": rule_form},
    )
