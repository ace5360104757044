"""The list of reports to the workers' congress: its columns, filters and
links (overdue reports, periods, organisation facts). The engine serves the
page, its paging and its workbook (workflows.cases). Registered from
AppConfig.ready."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.cases.lists import CaseList, Choice, Column, Flag, Search, StateColumn, StateFilter, register_case_list
from workflows.organisations.administration import is_district_admin

from .declaration import REPORT_PROCESS
from .models import OUTSTANDING_STATES, ReportingPeriod, ReportKind


def _overdue_mark(report):
    return [("overdue", _("Overdue"))] if report.is_overdue() else []


def _overdue_only(reports):
    return reports.filter(state__in=OUTSTANDING_STATES, due_on__lt=timezone.localdate())


def _links(request):
    links = [(reverse("congress:overdue"), _("Overdue, per organisation"), ""),
             (reverse("congress:period_list"), _("Reporting periods"), ""),
             (reverse("congress:facts_list"), _("Organisation facts"), "")]
    if is_district_admin(request.user):
        links.append((reverse("congress:period_open"), _("Open a reporting period"), "button"))
    return {"links": links}


REPORTS = CaseList(
    title=_("Reports to the workers' congress"),
    columns=(
        Column(_("Union"), lambda r: r.organisation.name, link=True),
        Column(_("Report kind"), lambda r: r.kind.name),
        Column(_("Reporting period"), lambda r: r.period.title),
        StateColumn(badges=_overdue_mark),
        Column(_("Due on"), lambda r: r.due_on),
        Column(_("Submitted on"), lambda r: r.submitted_at),
    ),
    filters=(
        Search(("organisation__name", "organisation__code"), label=_("Union")),
        Choice("kind", _("Report kind"), lambda user: ReportKind.objects.values_list("pk", "name"), lookup="kind_id"),
        Choice("period", _("Reporting period"),
               lambda user: ReportingPeriod.objects.order_by("-year", "-half", "pk").values_list("pk", "title"),
               lookup="period_id"),
        StateFilter(),
        Flag("overdue", _("Overdue only"), keep=_overdue_only),
    ),
    ordering=("due_on", "organisation__path", "pk"),
    header="workflows/_links.html",
    header_context=_links,
    empty=_("No report matches."),
)

register_case_list(REPORT_PROCESS.key, REPORTS)
