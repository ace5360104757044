"""Pages of the reports: list, overdue, detail with the step's decisions,
the form (draft or submit), the PDF, attachments, and the district opening
a reporting period. Thin: scoped selectors, then the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.cases.case_page import case_page_context
from workflows.organisations.administration import administered_district
from workflows.documents import pdf_cache
from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip
from workflows.steps.decision_page import decision_page

from . import selectors, services
from .documents import report_html
from .forms import DecisionForm, PeriodForm, ReportForm, item_formsets, items_from
from .models import OUTSTANDING_STATES, ReportAttachment, ReportingPeriod
from .periods import do_open_period, unions_concerned
from .schema import ReportIncomplete, display_fields

PAGE_SIZE = 25


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def overdue(request):
    """Reports past due and not handed in, per organisation."""
    today = timezone.localdate()
    rows = selectors.overdue_by_organisation(request.user, today)
    return render(request, "congress/overdue.html", {"page_obj": _page(request, rows), "today": today})


def _decisions(user, report):
    step = services.current_step(report)
    # The union revises through its form (services.do_submit_report), not a button.
    if step is None or step.name == "revise" or not services.may_take(user, report):
        return step, []
    return step, step.decisions_for(report)


@login_required
def report_detail(request, pk):
    report = selectors.report_for(request.user, pk)
    step, decisions = _decisions(request.user, report)
    return render(request, "congress/report_detail.html", {
        **case_page_context(report),
        "report": report, "fields": display_fields(report.kind, report.data), "step": step,
        "decisions": decisions, "may_edit": services.may_edit(request.user, report),
        "attachments": report.attachment_files.all(),
        "overdue": report.is_overdue(), "decision_form": DecisionForm(initial={"version": report.version}),
    })


def _show_incomplete(form, formsets, errors):
    item_errors = {}
    for field, message in errors:
        if field in formsets:
            item_errors.setdefault(field, []).append(message)
        elif field in form.fields:
            form.add_error(field, message)
        else:
            form.add_error(None, message)
    return item_errors


@login_required
def report_edit(request, pk):
    report = selectors.report_for(request.user, pk)
    if not services.may_edit(request.user, report):
        raise Http404()
    item_errors = {}
    if request.method == "POST":
        form = ReportForm(report.kind, request.POST, request.FILES, report=report)
        formsets = item_formsets(report.kind, data=request.POST)
        valid = form.is_valid() & all(fs.is_valid() for _spec, fs in formsets.values())
        if valid:
            data = form.data_for_report()
            data.update({name: items_from(fs) for name, (_spec, fs) in formsets.items()})
            # The version the page was drawn from: a report that moved meanwhile is refused (409).
            services.do_save_report_draft(report=report, data=data, files=form.uploads(), actor=request.user,
                                          version=request.POST.get("version", ""), ip=client_ip(request))
            if request.POST.get("action") != "submit":
                messages.success(request, _("The draft is saved. You can come back and finish it later."))
                return redirect("congress:report_edit", pk=report.pk)
            try:
                services.do_submit_report(report=report, actor=request.user, ip=client_ip(request))
            except ReportIncomplete as refusal:
                item_errors = _show_incomplete(form, formsets, refusal.errors)
                messages.error(request, _("The draft is saved, but the report cannot be submitted yet: "
                                          "correct what is marked below."))
            else:
                messages.success(request, _("The report is submitted to the intermediate union."))
                return redirect(report)
        else:
            messages.error(request, _("Nothing was saved: correct what is marked below."))
    else:
        form = ReportForm(report.kind, report=report)
        formsets = item_formsets(report.kind, report=report)
    return render(request, "congress/report_form.html", {
        "report": report, "form": form, "item_errors": item_errors,
        "formsets": [(spec, fs, item_errors.get(name, [])) for name, (spec, fs) in formsets.items()],
    })


def report_decide(request, pk):
    """A step's decision: the engine's decision page (a final one, archive,
    is confirmed on a page of its own)."""
    if not request.user.is_authenticated:
        return decision_page(request, None)  # the login page
    return decision_page(request, selectors.report_for(request.user, pk))


@login_required
def report_pdf_view(request, pk):
    report = selectors.report_for(request.user, pk)
    if report.state in OUTSTANDING_STATES:
        raise Http404()
    if report.document_id:
        return FileResponse(report.document.file.open("rb"), content_type="application/pdf",
                            filename=f"report-{report.pk}.pdf")
    # Handed in, not yet archived: rendered once per content.
    return pdf_cache.pdf_response(request, report_html(report), f"report-{report.pk}.pdf")


@login_required
def attachment_download(request, pk, attachment_pk):
    report = selectors.report_for(request.user, pk)
    attachment = get_object_or_404(ReportAttachment, pk=attachment_pk, report=report)
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type or "application/octet-stream",
                        as_attachment=True, filename=attachment.original_name)


# Reporting periods -------------------------------------------------------------

@login_required
def period_list(request):
    periods = ReportingPeriod.objects.select_related("kind").annotate(
        total=Count("reports"),
        handed_in=Count("reports", filter=~Q(reports__state__in=OUTSTANDING_STATES)),
    ).order_by("-year", "-half", "kind__ordering", "pk")
    district = administered_district(request.user)
    if district is None:
        visible = selectors.reports_visible_to(request.user).values("period_id")
        periods = periods.filter(pk__in=visible)
    return render(request, "congress/period_list.html", {"page_obj": _page(request, periods),
                                                        "may_open": district is not None})


@login_required
def period_open(request):
    district = administered_district(request.user)
    if district is None:
        raise Http404()
    form = PeriodForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.POST.get("confirmed") == "1":
            return render(request, "congress/period_confirm.html", {
                "form": form, "data": data, "unions": unions_concerned(district, data["sectors"]).count(),
            })
        try:
            period = do_open_period(kind=data["kind"], year=data["year"], half=data.get("half"),
                                    sectors=data["sectors"], district=district, actor=request.user,
                                    ip=client_ip(request))
        except RuleViolation as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The period is open: %(count)s unions have a report due by %(date)s.")
                             % {"count": period.reports.count(), "date": period.due_on.isoformat()})
            return redirect(f"{reverse('congress:report_list')}?period={period.pk}")
    return render(request, "congress/period_form.html", {"form": form, "district": district})
