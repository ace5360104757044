"""Pages of the reports: list, overdue, detail with the step's decisions,
the form (draft or submit), the PDF, attachments, and the district opening
a reporting period. Thin: scoped selectors, then the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from workflows.cases.case_page import case_page_context
from workflows.cases.lists import Column
from workflows.cases.scoped import case_or_404
from workflows.cases.setup import round_setup_page
from workflows.dataforms.completeness import Incomplete, answer_entries
from workflows.organisations.administration import administered_district
from workflows.documents.case_pdf import case_pdf_response
from workflows.middleware import client_ip
from workflows.attachments import held as held_uploads
from workflows.attachments import services as attachment_services
from workflows.pages.listing import round_list_page
from workflows.steps.decisions import buttons_for

from . import services
from .declaration import REPORT_PROCESS
from .documents import report_html
from .forms import PeriodForm, report_form
from .models import OUTSTANDING_STATES, ReportingPeriod
from .periods import do_open_period, period_title, unions_concerned

@login_required
def report_detail(request, pk):
    report = case_or_404(REPORT_PROCESS, request.user, pk)
    skeleton = case_page_context(report)
    step = skeleton["open_step"]
    # The union revises through its form (services.do_submit_report), not a button.
    decisions = buttons_for(request.user, report) if step is not None and step.name != "revise" else []
    return render(request, "congress/report_detail.html", {
        **skeleton,
        "report": report, "fields": answer_entries(report.kind.fields, report.data),
        "decisions": decisions, "may_edit": services.may_edit(request.user, report),
        "attachments": report.attachment_files.order_by("kind", "-uploaded_at", "-pk"),
        "overdue": report.is_overdue(),
    })


@login_required
def report_edit(request, pk):
    report = case_or_404(REPORT_PROCESS, request.user, pk)
    if not services.may_edit(request.user, report):
        raise Http404()
    held = []
    if request.method == "POST":
        form = report_form(report.kind, request.POST, request.FILES, report=report)
        if form.is_valid():
            # Files kept from a post that came back with errors, then the new ones.
            attachments = form.held_kinds(held_uploads.take(request)) + form.uploads()
            try:
                # The version the page was drawn from: a report that moved meanwhile is refused (409).
                services.do_save_report_draft(report=report, data=form.data_for_report(), attachments=attachments,
                                              actor=request.user, version=request.POST.get("version", ""),
                                              ip=client_ip(request))
            except BaseException:
                attachment_services.discard(attachments)
                raise
            if request.POST.get("action") != "submit":
                messages.success(request, _("The draft is saved. You can come back and finish it later."))
                return redirect("congress:report_edit", pk=report.pk)
            try:
                services.do_submit_report(report=report, actor=request.user, ip=client_ip(request))
            except Incomplete as refusal:
                for field, message in refusal.errors:
                    form.add_error(field if field in form.fields else None, message)
                messages.error(request, _("The draft is saved, but the report cannot be submitted yet: "
                                          "correct what is marked below."))
            else:
                messages.success(request, _("The report is submitted to the intermediate union."))
                return redirect(report)
        else:
            messages.error(request, _("Nothing was saved: correct what is marked below."))
            # A browser never refills a file input: the chosen files that
            # passed their checks are held for the next post.
            held = held_uploads.hold(request, form)
    else:
        form = report_form(report.kind, report=report)
    return render(request, "congress/report_form.html", {
        "report": report, "form": form, "held": held,
        "item_lists": [spec["key"] for spec in report.kind.fields if spec["type"] == "items"]})


@login_required
def report_pdf_view(request, pk):
    report = case_or_404(REPORT_PROCESS, request.user, pk)
    if report.state in OUTSTANDING_STATES:
        raise Http404()
    # Handed in, not yet archived: rendered once per content; archived: as stored.
    return case_pdf_response(request, report, report_html, f"report-{report.pk}.pdf")


# Reporting periods -------------------------------------------------------------

PERIOD_COLUMNS = (
    Column(gettext_lazy("Reporting period"), lambda p: p.title, link=True),
    Column(gettext_lazy("Due on"), lambda p: p.due_on),
    Column(gettext_lazy("Reports"), lambda p: p.total),
    Column(gettext_lazy("Handed in"), lambda p: p.handed_in),
)


@login_required
def period_list(request):
    """The periods of the reports a user sees (all of them for the
    district's administrator, who opens them), on the engine's round list."""
    periods = ReportingPeriod.objects.select_related("kind").annotate(
        total=Count("reports"),
        handed_in=Count("reports", filter=~Q(reports__state__in=OUTSTANDING_STATES)),
    ).order_by("-year", "-half", "kind__ordering", "pk")
    district = administered_district(request.user)
    if district is None:
        visible = REPORT_PROCESS.selector(request.user).values("period_id")
        periods = periods.filter(pk__in=visible)
    return round_list_page(request, periods, title=_("Reporting periods"), columns=PERIOD_COLUMNS, count=True,
                           empty=_("No reporting period yet."),
                           links=[(reverse("congress:period_open"), _("Open a reporting period"))] if district else [])


@login_required
def period_open(request):
    """The district administrator opens a period on the engine's set-up
    pages (workflows.cases.setup): the form, then a confirmation listing
    every grassroots union that will get a report due; nothing is saved
    until confirmed."""
    district = administered_district(request.user)
    if district is None:
        raise Http404()
    form = PeriodForm(request.POST or None, initial={"year": timezone.localdate().year}, district=district)
    return round_setup_page(
        request, form, title=_("Open a reporting period"), cancel_url=reverse("congress:period_list"),
        facts=lambda form: [(_("Reporting period"), period_title(*map(form.cleaned_data.get, ("kind", "year", "half"))))],
        units=lambda form: unions_concerned(district, form.cleaned_data["sectors"]),
        reach=lambda count: ngettext("%(count)s grassroots union will get a report due.",
                                     "%(count)s grassroots unions will get a report due.", count) % {"count": count},
        save=lambda form: do_open_period(**{k: form.cleaned_data[k] for k in ("kind", "year", "half", "sectors")},
                                         district=district, actor=request.user, ip=client_ip(request)),
        done=lambda period: _("The period is open: %(count)s unions have a report due by %(date)s.")
        % {"count": period.reports.count(), "date": period.due_on.isoformat()},
        confirm=_("Open the period"),
    )
