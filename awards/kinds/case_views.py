"""Pages of the campaigns of kinds and their cases: the campaigns, opening
one (with a confirmation naming the unions it reaches), handing a case in
on the version's form, the case's page on the engine's skeleton. The list
of cases and the decisions are the engine's pages. Thin: scoped
selectors, then the services (cases.py); another branch's case is a 404."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from workflows.cases.case_page import case_page_context
from workflows.cases.lists import Column
from workflows.dataforms import held_files
from workflows.dataforms.definition import initial_answers
from workflows.dataforms.palette import SectorField
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import StandardVersion
from workflows.middleware import client_ip
from awards.roles import Role
from workflows.organisations.access import has_role
from workflows.organisations.administration import administered_district_ids, administered_districts
from workflows.pages.forms import confirm_page, confirmed
from workflows.pages.listing import round_list_page
from workflows.steps.decision_page import decision_page
from workflows.steps.decisions import may_take

from . import cases as case_services
from . import endings, scoring, selectors, services
from .campaign_forms import CampaignCorrectForm, CampaignOpenForm, CaseFrameForm
from .declaration import may_be_withdrawn
from .forms import ChangesForm
from .rules_views import categories_of, sharing_unions
from .models import CAMPAIGN_CORRECTED, CAMPAIGN_OPENED, KindCaseState

CAMPAIGN_COLUMNS = (
    Column(gettext_lazy("Campaign"), lambda c: c.title, link=True),
    Column(gettext_lazy("Year"), lambda c: c.year),
    Column(gettext_lazy("Kinds offered"), lambda c: "、".join(f"{v.title} v{v.number}" for v in c.offered_versions)),
    Column(gettext_lazy("Submission deadline"), lambda c: date_format(timezone.localtime(c.deadline), "Y-m-d H:i")),
)


@login_required
@require_GET
def campaign_list(request):
    """The campaigns of the user's districts (the engine's round list)."""
    links = [(reverse("kinds:case_list"), _("All cases"))]
    if administered_districts(request.user):
        links.append((reverse("kinds:campaign_open"), _("Open a campaign")))
    return round_list_page(
        request, selectors.with_offers(selectors.campaigns_visible_to(request.user)),
        title=_("Campaigns of kinds"), columns=CAMPAIGN_COLUMNS, empty=_("No campaign yet."), links=links)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_open(request):
    """The district administrator opens a campaign offering one or more of
    the district's kinds, each on its current version: the form, then a
    confirmation listing the kinds and every union it reaches; nothing is
    saved until confirmed."""
    districts = administered_districts(request.user)
    if not districts:
        raise Http404()
    kinds = services.kinds_of(request.user)
    standards = (StandardVersion.objects.filter(standard__district__in=districts).select_related("standard")
                 .order_by("standard__code", "-number"))
    # From a kind's page (?kind=): that kind chosen already.
    chosen = request.GET.get("kind", "")[:20]
    form = CampaignOpenForm(request.POST or None, kinds=kinds, standards=standards,
                            initial={"year": timezone.localdate().year, "kinds": [chosen] if chosen else []})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        versions = form.versions()
        unions = selectors.unions_reached(versions[0].kind.district)
        if request.POST.get("confirmed") != "1":
            return render(request, "kinds/campaign_confirm.html", {
                "form": form, "data": data, "versions": versions, "unions": unions,
                "scoring": any(scoring.inspectors_needed(v) for v in versions),
            })
        try:
            campaign = case_services.do_open_campaign(versions=versions, year=data["year"], title=data["title"],
                                                      deadline=data["deadline"], actor=request.user,
                                                      standard_version=data.get("standard_version"),
                                                      code=data.get("code"), ip=client_ip(request))
        except RuleViolation as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The campaign is open: %(count)s unions may hand in cases until %(date)s.")
                             % {"count": unions.count(), "date": case_services.deadline_text(campaign)})
            return redirect("kinds:campaign_detail", pk=campaign.pk)
    return render(request, "kinds/campaign_form.html", {"form": form})


@login_required
@require_GET
def campaign_detail(request, pk):
    """The campaign: its kinds, its cases by state and kind, the places
    used per intermediate union and kind (as the campaign closed, once
    closed), the mix rules' figures, its notices and how many cases await
    one. Flat in cases and unions: the counts are one query, and the
    quotas' labels are read once (quotas.labels, remembered in the page's
    scope)."""
    from workflows.cases.counts import state_counts
    from workflows.memo import decision_memo
    from workflows.mixrules.services import figures_of
    from workflows.notices.opening import notices_of
    from workflows.organisations.access import memberships
    from workflows.quotas.selectors import quota_table
    from workflows.quotas.share_page import shares_seen

    user = request.user
    campaign = selectors.campaign_for(user, pk)
    versions = campaign.offered_versions
    administers = campaign.district_id in administered_district_ids(user)
    reviews = any(m.role in (Role.REVIEWER, Role.DISTRICT_ADMIN) for m in memberships(user))
    cases_url = f"{reverse('kinds:case_list')}?campaign={campaign.pk}"
    with decision_memo():
        counts = state_counts(selectors.cases_visible_to(user).filter(campaign=campaign).order_by(),
                              KindCaseState.choices, [(v.kind.code, v.title) for v in versions],
                              "kind_version__kind__code")
        totals = {version.kind.code: 0 for version in versions}
        for row in counts:
            for cell in row["counts"]:
                totals[cell["kind"]] += cell["n"]
        # The cases awaiting their notice among those the user sees (the
        # district's administrator sees them all: what the notice publishes).
        awaiting = sum(row["total"] for row in counts if row["state"] == KindCaseState.AWAITING_NOTICE)
        return render(request, "kinds/campaign_detail.html", {
            "campaign": campaign, "versions": versions,
            "kind_rows": [(version, totals[version.kind.code]) for version in versions],
            "state_counts": counts, "list_url": cases_url, "cases_url": cases_url,
            "closed": not campaign.is_open,
            "quota_rows": quota_table(campaign, user),
            "mix_figures": figures_of(campaign) if reviews else [],
            "notices": list(notices_of(campaign)[:10]),
            "awaiting_notice": awaiting,
            "notice_days": max(v.definition["route"].get("notice_days") or 0 for v in versions),
            "administers": administers, "is_district_staff": administers,
            "may_apply": selectors.unions_applying_for(user, campaign).exists()
            and campaign.is_open,
            "ending": endings.ending_of(campaign), "series": endings.series_of(campaign),
            "may_see_lists": endings.may_see_lists(user, campaign),
            "sharing_unions": sharing_unions(user, campaign) if not administers else [],
            "quota_shares": shares_seen(user, campaign),
            "corrections": _corrections(campaign) if administers else [],
        })


def _corrections(campaign):
    """The campaign's opening and corrections, oldest first, each with the
    fields' old and new values (cases.do_correct_campaign)."""
    from workflows.audit import action_label, history_of

    fields = {"title": _("Title"), "deadline": _("Submission deadline")}
    return [{"entry": entry, "action": action_label(entry.action),
             "changes": [(fields.get(name, name), *values) for name, values in (entry.data or {}).items()
                         if name in fields and entry.action == CAMPAIGN_CORRECTED]}
            for entry in history_of(campaign).filter(action__in=[CAMPAIGN_OPENED, CAMPAIGN_CORRECTED])]


@login_required
@require_http_methods(["GET", "POST"])
def campaign_correct(request, pk):
    """The district administrator corrects a running campaign's title and
    deadline: the form, a confirmation with the old and new values, then
    the audited correction. Another district's campaign is a 404."""
    campaign = selectors.administered_campaign(request.user, pk)
    form = CampaignCorrectForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect(campaign)
        if request.POST.get("confirmed") != "1":
            shown = {"title": (campaign.title, changes.get("title")),
                     "deadline": (case_services.deadline_text(campaign),
                                  date_format(timezone.localtime(changes["deadline"]), "Y-m-d H:i")
                                  if "deadline" in changes else None)}
            return render(request, "kinds/campaign_correct.html", {
                "campaign": campaign, "form": form, "confirming": True,
                "rows": [(form[name].label, old, new) for name, (old, new) in shown.items() if name in changes],
            })
        try:
            case_services.do_correct_campaign(campaign=campaign, changes=changes, actor=request.user,
                                              ip=client_ip(request))
        except (RuleViolation, NotAllowed) as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The campaign is corrected."))
            return redirect(campaign)
    return render(request, "kinds/campaign_correct.html", {"campaign": campaign, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_quotas(request, pk):
    """The district administrator sets each intermediate union's places in
    the campaign (the engine's quotas and its edit rows; awards/kinds/quotas.py)."""
    from workflows.quotas import selectors as quota_selectors
    from workflows.quotas.edit_page import save_posted_places

    campaign = selectors.administered_campaign(request.user, pk)
    rows = quota_selectors.quota_edit_rows(campaign)
    if request.method == "POST":
        response, rows = save_posted_places(request, campaign, reverse("kinds:campaign_quotas", args=[campaign.pk]))
        if response is not None:
            return response
    return render(request, "kinds/campaign_quotas.html", {
        "campaign": campaign, "quota_rows": rows, "quota_categories": categories_of(rows),
        "table": quota_selectors.quota_table(campaign, request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request, pk):
    """A union's submitter hands in a case on the form of one of the
    versions the campaign offers: the kind is chosen first (?kind=<code>)
    when it offers several. Saved as a draft, or handed in at once."""
    campaign = selectors.campaign_for(request.user, pk)
    unions = selectors.unions_applying_for(request.user, campaign)
    if not unions.exists():
        raise Http404()
    versions = campaign.offered_versions
    code = request.GET.get("kind")
    if code is None and len(versions) > 1:
        return render(request, "kinds/case_kind_choice.html", {"campaign": campaign, "versions": versions})
    version = versions[0] if code is None else campaign.offered_version(code)
    if version is None:
        raise Http404()
    data_form_class = case_services.form_class(version, organisations=unions)
    if request.method == "POST":
        frame = CaseFrameForm(request.POST, unions=unions)
        form = data_form_class(request.POST, request.FILES, prefix="answers")
        held_files.posted_back(request, form)
        saved = _saved(request, frame, form, lambda submit: case_services.do_create_case(
            campaign=campaign, organisation=frame.cleaned_data["organisation"], name=frame.cleaned_data["name"],
            form=form, actor=request.user, submit=submit, version=version, ip=client_ip(request)))
        if saved:
            return saved
    else:
        frame = CaseFrameForm(unions=unions)
        form = data_form_class(prefix="answers", initial=_sector_initial(version, unions))
        _say_if_closed(request, campaign)
    return render(request, "kinds/case_form.html", {"campaign": campaign, "version": version, "frame": frame,
                                                    "form": form})


def _sector_initial(version, unions):
    """A new case's form starts from the applying union's sector in the
    form's sector field, as May Day's did: when every union the submitter
    hands in for has the same one. Else it starts blank, which is saved as
    the sector of the union chosen (cases.answers_of)."""
    sectors = set(unions.values_list("sector", flat=True))
    if len(sectors) != 1:
        return {}
    [sector] = sectors
    return {spec["key"]: sector for spec in version.definition["fields"]
            if spec["type"] == SectorField.code and sector}


def _saved(request, frame, form, save):
    """A case's form posted (new or a draft): the case saved, or handed in
    when the union asked, and its page; None to show the form again, with
    what was typed and the chosen files held (workflows.dataforms.held_files),
    after an error in a field or a refusal of the service."""
    if not (frame.is_valid() & form.is_valid()):
        held_files.hold(request, form)
        messages.error(request, _("Nothing was saved: correct what is marked below."))
        return None
    submit = request.POST.get("action") == "submit"
    try:
        with held_files.saving(request, form):
            case = save(submit)
    except RuleViolation as refusal:
        form.add_error(None, refusal.message)
        return None
    messages.success(request, _("The case is handed in.") if submit else _("The draft is saved."))
    return redirect(case)


def _say_if_closed(request, campaign):
    """On opening a form of a campaign whose deadline has passed: a draft
    may still be saved, but nothing is handed in."""
    if not campaign.is_open:
        messages.warning(request, _("The submission deadline of this campaign has passed."))


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, pk):
    """A draft: its union's submitter edits it on the version's form and
    saves it again or hands it in from there (cases.do_edit_case). Out of
    reach, or handed in already, is a 404."""
    case = selectors.case_for(request.user, pk)
    # As the revision of a case not returned: a page no one may use is a 404.
    if case.state != KindCaseState.DRAFT or not has_role(request.user, Role.SUBMITTER, case.organisation):
        raise Http404()
    campaign = case.campaign
    unions = selectors.unions_applying_for(request.user, campaign)
    # The union stays the draft's own: only the name and the answers change.
    own_union = unions.filter(pk=case.organisation_id)
    data_form_class = case_services.form_class(case, organisations=unions)
    if request.method == "POST":
        frame = CaseFrameForm(request.POST, unions=own_union)
        form = data_form_class(request.POST, request.FILES, prefix="answers")
        # A required file the draft has already is not asked for again;
        # files chosen are held across an error (as on the first form).
        held_files.given_before(form, case.attachment_files.values_list("kind", flat=True))
        held_files.posted_back(request, form)

        def save(submit):
            case_services.do_edit_case(case=case, name=frame.cleaned_data["name"], form=form, actor=request.user,
                                       submit=submit, version=request.POST.get("version"), ip=client_ip(request))
            return case

        saved = _saved(request, frame, form, save)
        if saved:
            return saved
    else:
        frame = CaseFrameForm(unions=own_union, initial={"organisation": case.organisation_id, "name": case.name})
        form = data_form_class(prefix="answers",
                               initial=initial_answers(case.kind_version.definition["fields"], case.answers))
        _say_if_closed(request, campaign)
    return render(request, "kinds/case_form.html", {
        "campaign": campaign, "version": case.kind_version, "frame": frame, "form": form, "case": case,
        "attachments": case.attachment_files.order_by("kind", "-uploaded_at", "-pk"),
    })


@login_required
@require_GET
def case_detail(request, pk):
    case = selectors.case_for(request.user, pk)
    # The district and the departments asked for a sign-off read ID and
    # mobile numbers in full on asking (selectors.identity_grant).
    may_read_full = case_services.has_identity_fields(case) and selectors.identity_grant(request.user, case) is not None
    full = request.GET.get("full") == "1" and may_read_full
    answers = case_services.answers_shown(case, actor=request.user, full=full, ip=client_ip(request))
    # The rounds' changes show ID and mobile numbers in full on the same
    # terms as the answers (recorded by answers_shown).
    skeleton = case_page_context(case, full=full)
    step = skeleton["open_step"]
    from workflows.cases.panels import case_panels

    return render(request, "kinds/case_detail.html", {
        **skeleton,
        # The engine's panels under the open step (kinds/_case_panels.html):
        # deadlines, the district's reassignment, sign-offs, the notice.
        **case_panels(request.user, case, case.organisation),
        "answers": answers, "full": full,
        "may_read_full": may_read_full,
        "attachments": case.attachment_files.order_by("kind", "-uploaded_at", "-pk"),
        "may_submit": case.state == KindCaseState.DRAFT and has_role(request.user, Role.SUBMITTER, case.organisation),
        "may_withdraw": _may_withdraw(request.user, case),
        "may_revise": case.state == KindCaseState.RETURNED
        and has_role(request.user, Role.SUBMITTER, case.organisation),
        "answer_rounds": case_services.rounds_of(case) if case.round > 1 else [],
        "may_decide": step is not None and not step.manual and may_take(request.user, case),
        "certificates": endings.certificates_of(case),
        "outcome_label": next((o["label"] for o in case.outcomes if o["value"] == case.outcome), ""),
        "scores": scoring.scores_shown(request.user, case) if scoring.inspectors_needed(case) else None,
    })


def _button(request, pk, service, done):
    """A button on the case's page (hand in, withdraw): the service with the
    version the page showed; a refusal is said on the page it came from."""
    case = selectors.case_for(request.user, pk)
    try:
        service(case=case, actor=request.user, version=request.POST.get("version"), ip=client_ip(request))
    except RuleViolation as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)
    return redirect(case)


@login_required
@require_POST
def case_submit(request, pk):
    return _button(request, pk, case_services.do_submit_case, _("The case is handed in."))


@login_required
@require_http_methods(["GET", "POST"])
def case_revise(request, pk):
    """A returned case: its union's submitter revises the answers on the
    version's form and hands it in again (the revise step's own form)."""
    case = selectors.case_for(request.user, pk)
    if case.state != KindCaseState.RETURNED or not has_role(request.user, Role.SUBMITTER, case.organisation):
        raise Http404()
    # An organisation field names the unions the submitter hands in for,
    # as on the first form.
    data_form_class = case_services.form_class(
        case, organisations=selectors.unions_applying_for(request.user, case.campaign))
    if request.method == "POST":
        form = data_form_class(request.POST, request.FILES, prefix="answers")
        changes = ChangesForm(request.POST, case=case)
        held_files.given_before(form, case.attachment_files.values_list("kind", flat=True))
        held_files.posted_back(request, form)
        if form.is_valid() and changes.is_valid():
            try:
                with held_files.saving(request, form):
                    case_services.do_resubmit_case(case=case, form=form, actor=request.user,
                                                   version=request.POST.get("version"), ip=client_ip(request),
                                                   comment=changes.cleaned_data["comment"])
            except RuleViolation as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("The case is handed in again."))
                return redirect(case)
        else:
            held_files.hold(request, form)
            messages.error(request, _("Nothing was saved: correct what is marked below."))
    else:
        form = data_form_class(prefix="answers",
                               initial=initial_answers(case.kind_version.definition["fields"], case.answers))
        held_files.given_before(form, case.attachment_files.values_list("kind", flat=True))
        changes = ChangesForm(case=case)
    return render(request, "kinds/case_revise.html", {
        "case": case, "form": form, "changes": changes, "returned": case_services.return_comment(case),
    })


def _may_withdraw(user, case):
    """The case's page offers its union's submitter to withdraw it while
    its version allows it (declaration.may_be_withdrawn)."""
    return may_be_withdrawn(case) and has_role(user, Role.SUBMITTER, case.organisation)


@login_required
@require_POST
def case_withdraw(request, pk):
    """A final action: the case page's button leads to the engine's
    confirmation page, whose post (`confirmed`) withdraws. Whoever may not
    withdraw the case has the service's refusal at once (nothing to confirm)."""
    case = selectors.case_for(request.user, pk)
    if not confirmed(request) and _may_withdraw(request.user, case):
        return confirm_page(
            request, title=_("Withdraw the case"), heading=_("Withdraw the case?"), submit=_("Yes, withdraw"),
            lines=[_("The case of %(name)s will be withdrawn. This cannot be undone.") % {"name": case.name}],
            hidden=[("version", request.POST.get("version", ""))], style="danger",
            back_url=case.get_absolute_url())
    return _button(request, pk, case_services.do_withdraw_case, _("The case is withdrawn."))


@login_required
@require_GET
def case_printed(request, pk):
    """The printed application form with its opinions and notice record, to
    whoever reads the case's page; ID and mobile numbers in full (?full=1)
    on the page's terms: to the district and the departments asked for a
    sign-off, recorded."""
    case = selectors.case_for(request.user, pk)
    full = (request.GET.get("full") == "1" and case_services.has_identity_fields(case)
            and selectors.identity_grant(request.user, case) is not None)
    from workflows.documents import pdf_cache  # rendering libraries load only when a form is asked for

    from . import printed

    html = printed.application_form_html(case, actor=request.user, full=full, ip=client_ip(request))
    # A form with numbers in full is rendered for this request and kept
    # nowhere (not in the document cache, not in the browser's).
    return pdf_cache.pdf_response(request, html, f"application-{case.pk}.pdf", private=full)


def case_decide(request, pk):
    """A step's decision: the engine's decision page."""
    if not request.user.is_authenticated:
        return decision_page(request, None)  # the login page
    return decision_page(request, selectors.case_for(request.user, pk))

