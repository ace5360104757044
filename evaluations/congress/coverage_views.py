"""The work plan's section of the coverage page (/coverage/, the engine's
workflows.coverage): the district's (or an intermediate union's own
branch's) figures against the work plan, with server-drawn charts; its
sheet of the page's Excel download; the drill-down and the closing of a
year, hung under /coverage/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from workflows.coverage.registry import register_coverage_section
from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip

from .charts import target_chart
from .closed_years import closed_year, district_of_scope, do_close_coverage_year, figures, frozen_listed, may_close
from .coverage import not_counted
from .exports import coverage_sheet, plain
from .models import CoverageTarget, ReportingPeriod
from .selectors import coverage_scope_for, coverage_scopes


def default_year():
    """The page opens at the year of the latest reporting period."""
    latest = ReportingPeriod.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year


def _year(request):
    raw = request.GET.get("year", "")
    if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return default_year()


def _label(branch):
    return branch.name if branch is not None else _("Directly under the district")


def section(request, year):
    """The work plan's section of the coverage page, or None for a user
    with no dashboard of their own (a branch they may not see is a 404)."""
    if not coverage_scopes(request.user):
        return None
    scope = coverage_scope_for(request.user, request.GET.get("branch"))
    data = figures(scope, year)
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
    return render_to_string("congress/coverage.html", {
        "scope": scope, "year": year, "cards": cards,
        "may_choose_branch": any(s.kind == "district" for s in scopes),
        "branches": [b for b in data["branches"] if b is not None],
        "closed": data["closed"],
        "may_close": (data["closed"] is None and scope.parent_id is None and year < timezone.localdate().year
                      and may_close(request.user, scope)),
    }, request=request)


def sheets(request, year):
    """The section's sheet of the page's Excel download (None: nothing for
    this user)."""
    if not coverage_scopes(request.user):
        return None
    scope = coverage_scope_for(request.user, request.GET.get("branch"))
    return [coverage_sheet(scope, year)]


@login_required
def missing(request, code):
    """The grassroots unions a target does not count yet, in the scope."""
    scope = coverage_scope_for(request.user, request.GET.get("branch"))
    target = get_object_or_404(CoverageTarget, code=code)
    year = _year(request)
    closing = closed_year(district_of_scope(scope), year)
    if closing is not None:  # the unions as the closed year listed them
        orgs = frozen_listed(closing, scope, code)
    else:
        orgs = not_counted(scope, code, year)
        orgs = orgs.select_related("parent") if orgs is not None else None
    if orgs is None:
        raise Http404()
    page = Paginator(orgs, 50).get_page(request.GET.get("page"))
    return render(request, "congress/coverage_missing.html", {
        "scope": scope, "target": target, "year": year, "page_obj": page, "closed": closing,
        "counted_list": target.unit == CoverageTarget.Unit.COUNT,
        "query_string": f"year={year}&branch={scope.pk}",
    })


@login_required
@require_http_methods(["GET", "POST"])
def close_year(request):
    """The district administrator closes a past year: a confirmation page,
    then the figures are frozen."""
    scope = coverage_scope_for(request.user, None)
    if scope.parent_id is not None or not may_close(request.user, scope):
        raise Http404()
    year = _year(request) if request.method == "GET" else _posted_year(request)
    dashboard_url = f"{reverse('coverage:dashboard')}?year={year}"
    if request.method == "POST":
        try:
            do_close_coverage_year(district=scope, year=year, acting_user=request.user, ip=client_ip(request))
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(year)s is closed: its figures are kept as they are now.") % {"year": year})
        return redirect(dashboard_url)
    if closed_year(scope, year) or year >= timezone.localdate().year:
        raise Http404()
    return render(request, "congress/coverage_close.html", {"scope": scope, "year": year,
                                                            "dashboard_url": dashboard_url})


def _posted_year(request):
    raw = request.POST.get("year", "")
    if not (raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100):
        raise Http404()
    return int(raw)


def register():
    """The work plan's section of the coverage page, with its own pages."""
    register_coverage_section(
        "work_plan", label=gettext_lazy("Coverage of the work plan"), render=section, sheets=sheets, order=10,
        default_year=default_year, urlpatterns=[
            path("close/", close_year, name="close_year"),
            path("<slug:code>/", missing, name="missing"),
        ])
