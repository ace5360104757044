"""The May Day award's pages. Thin: objects come from selectors (404
outside the user's reach), changes go through services (NotAllowed → 403,
AlreadyHandled → 409 by the middleware, RuleViolation → the form again with
the message and nothing saved). Reissuing a revoked certificate is the
engine's page (workflows.documents.case_certificates), routed in awards.urls."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from workflows.cases.case_form_page import bound, case_form_page
from workflows.cases.case_page import case_page_context, open_steps
from workflows.cases.form_page import save_case_form
from workflows.cases.lists import Column
from workflows.cases.panels import case_panels
from workflows.cases.revisions import last_entry
from workflows.cases.setup import round_setup_page
from workflows.documents import pdf_cache
from workflows.documents.case_certificates import certificate_of, may_take_copy
from workflows.documents.notice_print import notice_pdf_response
from workflows.documents.round_certificates import print_round_certificates
from workflows.documents.xlsx import xlsx_response
from workflows.exceptions import NotAllowed
from workflows.middleware import client_ip
from workflows.mixrules.services import figures_of
from workflows.models import OrgKind
from workflows.notices.opening import notice_open_page, notices_of
from workflows.organisations.access import has_role, memberships
from workflows.organisations.administration import administered_districts
from workflows.organisations.districts import units_under
from workflows.pages.listing import grouped_list_page, round_list_page
from workflows.quotas.rules_page import rules_page
from workflows.quotas.selectors import intermediates_of, quota_table
from workflows.quotas.share_page import share_page, shareable_unions, shares_seen
from workflows.security.identity_reads import grant_as_asked_department
from workflows.signoffs.answering import answer_signoff
from workflows.signoffs.forms import SignoffForm
from workflows.signoffs.views import signoff_page
from workflows.steps.actors import task_for
from workflows.steps.case_buttons import case_buttons
from workflows.steps.decisions import decide
from awards.roles import Role

from awards.mayday import documents, id_numbers, selectors, services
from awards.mayday.declaration import RETURN, done_message
from awards.mayday.forms import CampaignForm, NominationForm
from awards.mayday.models import AwardKind, Nomination, NominationState
from awards.mayday.notices import campaign_notice_open, notice_preview

S = NominationState


# Campaigns ------------------------------------------------------------------

def _open_or_closed(campaign):
    return (_("Open"), "pending") if campaign.is_open else (_("Closed"), "draft")


CAMPAIGN_COLUMNS = (
    Column(gettext_lazy("Year"), lambda c: c.year),
    Column(gettext_lazy("Campaign"), lambda c: c.title, link=True, note=lambda c: c.district),
    Column(gettext_lazy("Awards"), lambda c: "、".join(str(AwardKind(kind).label) for kind in c.kinds)),
    Column(gettext_lazy("Submission deadline"), lambda c: c.submission_deadline),
    Column(gettext_lazy("Status"), lambda c: _open_or_closed(c)[0], badge=lambda c: _open_or_closed(c)[1]),
)


@login_required
@require_GET
def campaign_list(request):
    """The campaigns of the user's districts (the engine's round list)."""
    may_create = bool(administered_districts(request.user))
    return round_list_page(
        request, selectors.campaigns_visible_to(request.user), title=_("May Day award campaigns"),
        columns=CAMPAIGN_COLUMNS, empty=_("No campaign yet."),
        links=[(reverse("awards:campaign_create"), _("Open a campaign"))] if may_create else [],
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    """The district administrator opens a campaign on the engine's set-up
    pages (workflows.cases.setup): the form, then a confirmation listing
    every grassroots union it reaches; nothing is saved until confirmed."""
    districts = administered_districts(request.user)
    if not districts:
        raise NotAllowed(_("Only the district administrator can open a campaign."))
    intermediates = [org for district in districts for org in intermediates_of(district)]
    form = CampaignForm(request.POST or None, districts=districts, intermediates=intermediates)

    def save(form):
        form.instance.district = form.chosen_district
        return services.campaign_create(campaign=form.instance, quotas=form.quotas(), actor=request.user,
                                        ip=client_ip(request))
    return round_setup_page(
        request, form, title=_("Open a campaign"), cancel_url=reverse("awards:campaign_list"),
        facts=lambda form: form.facts(), units=lambda form: units_under(form.chosen_district, [OrgKind.GRASSROOTS]),
        save=save, done=lambda campaign: _("The campaign “%(title)s” is open.") % {"title": campaign.title},
    )


@login_required
@require_GET
def campaign_detail(request, code):
    """The campaign, its nominations by state, the places used, and the
    engine's deeper parts: mix figures, public notices, shared places."""
    user, campaign = request.user, selectors.get_campaign_for(request.user, code)
    district_staff = selectors.is_district_staff(user, campaign)
    reviewer = any(m.role in (Role.REVIEWER, Role.DISTRICT_ADMIN) for m in memberships(user))
    return render(request, "awards/campaign_detail.html", {
        "campaign": campaign, "kinds": [(kind, AwardKind(kind).label) for kind in campaign.kinds],
        "state_counts": selectors.state_counts(campaign, user),
        "list_url": f"{reverse('awards:nomination_list')}?{urlencode({'campaign': campaign.code})}",
        "quota_rows": quota_table(campaign, user),
        "may_nominate": campaign.is_open and bool(selectors.submitting_unions(user, campaign)),
        "is_district_staff": district_staff, "may_open_notice": has_role(user, Role.DISTRICT_ADMIN, campaign.district),
        "mix_figures": figures_of(campaign) if reviewer or district_staff else [],
        "notices": list(notices_of(campaign)[:10]),
        "awaiting_notice": Nomination.objects.filter(campaign=campaign, state=S.AWAITING_NOTICE).count(),
        "quota_shares": shares_seen(user, campaign), "may_share_quota": shareable_unions(user, campaign).exists(),
        "share_url": reverse("awards:share_quota", args=[campaign.code]), "category_label": _("Award"),
    })


AWARD_COLUMNS = (
    Column(gettext_lazy("Name"), lambda n: n.nominee_name, link=True),
    Column(gettext_lazy("Work unit"), lambda n: " · ".join(v for v in (n.work_unit or "—", n.post) if v)),
    Column(gettext_lazy("Certificate number"), lambda n: n.certificate.number if n.certificate else None),
)


@login_required
@require_GET
def award_list(request, code):
    campaign = selectors.get_campaign_for(request.user, code)
    downloads = [(reverse("awards:award_list_pdf", args=[campaign.code]), _("Download PDF")),
                 (reverse("awards:award_list_xlsx", args=[campaign.code]), _("Download Excel"))]
    return grouped_list_page(
        request, selectors.awarded_groups(campaign, request.user), title=_("Award list"),
        back=(campaign.get_absolute_url(), campaign.title), columns=AWARD_COLUMNS,
        empty=_("Nobody has been awarded yet."),
        links=downloads if selectors.is_district_staff(request.user, campaign) else [],
    )


@login_required
@require_GET
def award_list_file(request, code, fmt):
    """The official list of the whole campaign, as PDF (rendered once per
    content, workflows.documents.pdf_cache) or Excel: the district
    federation's only."""
    campaign = selectors.get_campaign_for(request.user, code)
    if not selectors.is_district_staff(request.user, campaign):
        raise NotAllowed(_("Only the district federation may download the award list."))
    filename = _("Award list %(code)s") % {"code": campaign.code} + f".{fmt}"
    if fmt == "xlsx":
        return xlsx_response(documents.award_list_xlsx(campaign), filename)
    return pdf_cache.pdf_response(request, documents.award_list_html(campaign), filename, as_attachment=True)


# Nominations ----------------------------------------------------------------

def _form_page(request, nomination, form, **context):
    """The nomination's form on the engine's page (workflows.cases.case_form_page);
    a valid post saves the draft, and submits a draft or resubmits a returned
    nomination when its button was pressed, in the same transaction
    (workflows.cases.form_page)."""
    campaign, title = nomination.campaign, _("Edit nomination") if nomination.pk else _("New nomination")
    deadline = date_format(timezone.localtime(campaign.submission_deadline), "Y-m-d H:i")
    action = {(S.DRAFT, "submit"): "submit", (S.RETURNED, "resubmit"): "resubmit"}.get(
        (nomination.state, request.POST.get("action")), "draft")

    def save(attachments, ip):
        services.nomination_save_draft(nomination=nomination, actor=request.user, attachments=attachments, ip=ip)
        if action == "submit":
            services.nomination_submit(nomination=nomination, actor=request.user, ip=ip)
        elif action == "resubmit":
            decide(case=nomination, actor=request.user, decision="resubmit",
                   comment=form.cleaned_data.get("comment", ""), ip=ip)

    def post(form):
        if nomination.pk:
            # The version the submitter edited: a case that moved meanwhile is refused (409).
            nomination.version = form.cleaned_data["version"]
        else:
            nomination.organisation = form.chosen_organisation
        done = done_message(nomination, action) if action != "draft" else _("The draft is saved.")
        # A rule's refusal (a quota, the deadline) holds the chosen files for the next post.
        return save_case_form(request, nomination, form.unsaved_attachments(), save, done, form=form)
    return case_form_page(
        request, nomination, form, post=post, title=title, heading=f"{title}: {nomination.get_kind_display()}",
        subtitle=f"{campaign.title} · {_('Submission deadline')} {deadline} {_('(that minute included, Beijing time)')}",
        cancel_url=(nomination if nomination.pk else campaign).get_absolute_url(),
        fixed=[] if "organisation" in form.fields else [(_("Nominating union"), form.fixed_organisation)], **context)


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
    if request.method == "GET" and not campaign.is_open:
        messages.warning(request, _("The submission deadline of this campaign has passed."))
    return _form_page(request, nomination, NominationForm(*bound(request), instance=nomination, organisations=unions))


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
    return _form_page(request, nomination, NominationForm(*bound(request), instance=nomination), returned=returned,
                      last_return=last_entry(nomination, RETURN.action) if returned else None,
                      attachments=nomination.attachments.all())


@login_required
@require_http_methods(["GET", "POST"])
def nomination_detail(request, pk):
    nomination = selectors.get_nomination_for(request.user, pk)

    def take(code, comment, ip):
        """Submit and withdraw are the declaration's transitions taken on the
        page (their own services check the submission rules); every step's
        decision goes to the engine's decision page."""
        if code == "submit":
            services.nomination_submit(nomination=nomination, actor=request.user, ip=ip)
        else:
            services.nomination_withdraw(nomination=nomination, actor=request.user, comment=comment, ip=ip)
    buttons, decision_form, response = case_buttons(
        request, nomination, transitions=("submit", "withdraw"), take=take,
        done_message=lambda code: done_message(nomination, code),
        comment_help=gettext_lazy("Required when returning, rejecting or not awarding."),
        # The page's legacy value for "not awarded" (bookmarked forms post it).
        aliases={"not_award": "decline"},
    )
    if response is not None:
        return response
    certificate = certificate_of(nomination) if nomination.state == S.AWARDED else None
    may_read_id = id_numbers.may_read_full_id_number(request.user, nomination)
    # The full number only when asked for (a link on the page), and recorded.
    full_id = id_numbers.revealed_id_number(
        request, nomination, id_numbers.ON_PAGE, asked=request.method == "GET" and request.GET.get("id") == "full")
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
            "may_download_certificate": certificate is not None and may_take_copy(request.user, nomination.organisation),
            **case_panels(request.user, nomination, nomination.organisation),
        },
    )


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
    the campaign's mix rules: the engine's page (workflows.quotas.rules_page)
    on May Day's schemes (awards.quotas)."""
    return rules_page(
        request, selectors.get_campaign_for(request.user, code), all_label=gettext_lazy("All awards"),
        refusal=_("Only the district administrator sets the quotas and mix rules."),
        help_text=gettext_lazy("e.g. Front-line workers: at least 60 per cent of the medals"),
    )


# The engine's deeper rules (workflows.notices.opening, workflows.signoffs,
# workflows.quotas.share_page): what of May Day their pages show ------------

@login_required
@require_http_methods(["GET", "POST"])
def notice_open(request, code):
    campaign = selectors.get_campaign_for(request.user, code)
    return notice_open_page(
        request, may_open=has_role(request.user, Role.DISTRICT_ADMIN, campaign.district),
        refusal=_("Only the district administrator can open a public notice."),
        preview=lambda: notice_preview(campaign), back_url=campaign.get_absolute_url(),
        open_notice=lambda ip: campaign_notice_open(campaign=campaign, actor=request.user, ip=ip),
        empty_message=_("No nomination of this campaign awaits a public notice."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def signoff(request, pk):
    nomination = selectors.get_nomination_for(request.user, pk)
    return signoff_page(
        request, nomination, subject=nomination.nominee_name,
        form_class=partial(SignoffForm, refuse_label=_("Refuse: the nomination stops"),
                           refuse_help=_("Required when refusing: the reason is shown on the nomination.")),
        subtitle=f"{nomination.campaign.title} · {nomination.get_kind_display()} · {nomination.organisation}",
        # The officers of the departments asked (one whose department has
        # answered still sees it; deciding again is a 409).
        may_answer=task_for(request.user, nomination, "signoff") is not None
        or grant_as_asked_department(request.user, nomination, Role.DEPARTMENT) is not None,
        answer=lambda **given: answer_signoff(case=nomination, actor=request.user, role=Role.DEPARTMENT, **given),
    )


@login_required
@require_http_methods(["GET", "POST"])
def share_quota(request, code):
    return share_page(request, selectors.get_campaign_for(request.user, code), category_label=_("Award"))


# Paper: the recommendation-approval form and the public notice, rendered
# once per content (workflows.documents.pdf_cache) after the access checks
# here; a campaign's certificates printed in the background -----------------

@login_required
@require_GET
def recommendation_form(request, pk):
    """推荐审批表: anyone who sees the nomination may print it."""
    nomination = selectors.get_nomination_for(request.user, pk)
    # The district and the departments asked for a sign-off print the full
    # ID number (recorded); everyone else prints it masked.
    full_id = id_numbers.revealed_id_number(request, nomination, id_numbers.ON_FORM)
    return pdf_cache.pdf_response(
        request,
        documents.recommendation_form_html(nomination, full_id_number=full_id),
        _("Recommendation form %(pk)s.pdf") % {"pk": pk},
        # A form with the full ID number is rendered for this request and
        # kept nowhere (not in the document cache, not in the browser's).
        private=bool(full_id),
    )


@login_required
@require_GET
def public_notice(request, code):
    campaign = selectors.get_campaign_for(request.user, code)
    if not selectors.is_district_staff(request.user, campaign):
        raise NotAllowed(_("Only the district federation may print the public notice."))
    # The notice running now, else the latest one.
    return notice_pdf_response(request, campaign, lambda notice: documents.public_notice_html(notice),
                               _("Public notice %(code)s.pdf") % {"code": campaign.code})


@login_required
@require_POST
def print_campaign_certificates(request, code):
    """Queue a background job printing every valid certificate of the
    campaign; the job's page shows its progress."""
    campaign = selectors.get_campaign_for(request.user, code)
    return print_round_certificates(
        request, campaign, title=_("Certificates of %(campaign)s") % {"campaign": campaign.title})
