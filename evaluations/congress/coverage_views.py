"""The coverage dashboard at /coverage/: the district's (or an
intermediate union's own branch's) figures against the work plan, with
server-drawn charts, a drill-down and the Excel export."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .charts import target_chart
from .coverage import coverage, not_counted
from .exports import coverage_workbook, plain
from .facts_views import XLSX
from .models import CoverageTarget, ReportingPeriod
from .selectors import coverage_scope_for, coverage_scopes


def _year(request):
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    latest = ReportingPeriod.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year


def _label(branch):
    return branch.name if branch is not None else _("Directly under the district")


@login_required
def dashboard(request):
    scope = coverage_scope_for(request.user, request.GET.get("branch"))
    year = _year(request)
    data = coverage(scope, year)
    cards = []
    for entry in data["targets"]:
        target = entry["target"]
        suffix = "%" if target.unit == CoverageTarget.Unit.PERCENT else ""
        rows = [(_label(data["branches"][i]), figure.value) for i, (_key, figure) in enumerate(entry["rows"])]
        if len(rows) != 1:
            rows.append((_("All"), entry["overall"].value))
        cards.append({
            "target": target, "target_figure": plain(target.target), "suffix": suffix, "overall": entry["overall"],
            "overall_value": plain(entry["overall"].value),
            "rows": [(data["branches"][i], figure, plain(figure.value)) for i, (_key, figure) in enumerate(entry["rows"])],
            "chart": target_chart(target.label, rows, plain(target.target), suffix),
        })
    scopes = coverage_scopes(request.user)
    return render(request, "congress/coverage.html", {
        "scope": scope, "year": year, "cards": cards, "years": range(timezone.localdate().year, 2019, -1),
        "may_choose_branch": any(s.kind == "district" for s in scopes),
        "branches": [b for b in data["branches"] if b is not None],
    })


@login_required
def missing(request, code):
    """The grassroots unions a target does not count yet, in the scope."""
    scope = coverage_scope_for(request.user, request.GET.get("branch"))
    target = get_object_or_404(CoverageTarget, code=code)
    year = _year(request)
    orgs = not_counted(scope, code, year)
    if orgs is None:
        raise Http404()
    page = Paginator(orgs.select_related("parent"), 50).get_page(request.GET.get("page"))
    return render(request, "congress/coverage_missing.html", {
        "scope": scope, "target": target, "year": year, "page_obj": page,
        "counted_list": target.unit == CoverageTarget.Unit.COUNT,
        "query_string": f"year={year}&branch={scope.pk}",
    })


@login_required
def export(request):
    scope = coverage_scope_for(request.user, request.GET.get("branch"))
    year = _year(request)
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="coverage-{year}.xlsx"'
    coverage_workbook(scope, year).save(response)
    return response
