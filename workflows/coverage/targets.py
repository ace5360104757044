"""A coverage section of targets against figures per branch, with its
pages: the cards and bars on /coverage/, its sheet of the download, the
drill-down of each target (the units not yet counted) and the district
administrator closing a past year (a confirmation, then the figures are
frozen for good: workflows.coverage.closing).

The process declares a TargetsSection: how its figures of a year are had
(computed, or as the closed year kept them, with "closed" set), the units
a target lists, its targets by code, whether a user may close a district's
year and the service that closes it (which keeps the closed year in a row
of the process's own). The section's scope is the user's widest branch (a
district or an intermediate union where they hold a branch role), or the
branch asked for within it; anything else is a 404."""

from dataclasses import dataclass
from typing import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip
from workflows.organisations.scopes import BRANCH_KINDS, branch_roots, branch_scope_for
from workflows.pages.forms import confirm_page
from workflows.pages.query import asked_year

from .closing import district_of_scope, frozen_figures, frozen_listed
from .figures import targets_section, targets_sheet
from .registry import register_coverage_section
from .units import units_page


@dataclass(frozen=True)
class TargetsSection:
    key: str
    label: object
    compute: Callable  # (scope, year, today=None) → the figures computed now
    not_counted: Callable  # (scope, code, year) → the units a target lists now, or None (unknown target)
    target: Callable  # code → the target, or Http404
    target_of: Callable  # (code=, label=, target=, unit=) → an unsaved target, for a closed year's figures
    closed: Callable  # (district, year) → the closing of that year (its `snapshot`, `district_id`), or None
    sheet_title: Callable  # (scope, year) → the sheet's title, asked in the district's language
    default_year: Callable
    may_close: Callable  # (user, district) → bool
    close: Callable  # (district=, year=, actor=, ip=) → the closing; RuleViolation when refused
    unit_url: Callable = None  # org → the process's page of a unit in a drill-down
    order: int = 100

    def figures(self, scope, year, today=None):
        """The figures of `year`: as the district closed them, else computed
        now; "closed" is the closing or None."""
        closing = self.closed(district_of_scope(scope), year)
        if closing is not None:
            return {**frozen_figures(closing.snapshot, closing.district_id, scope, self.target_of), "closed": closing}
        return {**self.compute(scope, year, today=today), "closed": None}

    def listed(self, scope, code, year, closing):
        """The units a target lists (as the closed year listed them, once closed)."""
        if closing is not None:
            return frozen_listed(closing.snapshot, closing.district_id, scope, code)
        units = self.not_counted(scope, code, year)
        return units.select_related("parent") if units is not None else None

    def scope(self, request):
        return branch_scope_for(request.user, request.GET.get("branch"))

    def sheet(self, scope, year, today=None):
        return targets_sheet(self.figures(scope, year, today=today), title=lambda: self.sheet_title(scope, year))

    def as_api(self, user, year, branch_id):
        """The figures of `year` in the user's scope (or the branch asked
        for, within it; else Http404), as the page shows them (a closed
        year's frozen figures), for the JSON API."""
        scope = branch_scope_for(user, branch_id)
        data = self.figures(scope, year)
        branches = data["branches"]

        def figure(f):
            return {"met": f.met, "base": f.base, "value": None if f.value is None else float(f.value),
                    "reached": f.reached}

        return {"scope": {"id": scope.pk, "name": scope.name}, "targets": [
            {"code": entry["target"].code, "label": entry["target"].label, "unit": entry["target"].unit,
             "target": float(entry["target"].target), "overall": figure(entry["overall"]),
             "rows": [{"branch": {"id": branches[i].pk, "name": branches[i].name} if branches[i] else None,
                       **figure(f)} for i, (_key, f) in enumerate(entry["rows"])]}
            for entry in data["targets"]]}


# key → TargetsSection, for what asks a section's figures outside a page
# (`manage.py export_coverage`).
TARGETS_SECTIONS = {}


def register_targets_section(spec):
    """Register the section with its pages under /coverage/: close/
    (coverage:close_year) and <code>/ (coverage:missing)."""
    TARGETS_SECTIONS[spec.key] = spec

    def render(request, year):
        if not branch_roots(request.user, BRANCH_KINDS):
            return None  # no dashboard of their own
        scope = spec.scope(request)
        data = spec.figures(scope, year)
        closable = (data["closed"] is None and scope.parent_id is None and year < timezone.localdate().year
                    and spec.may_close(request.user, scope))
        return targets_section(
            request, data, heading=spec.label, scope=scope, year=year, closed=data["closed"],
            missing_url=lambda code: f"{reverse('coverage:missing', args=[code])}?year={year}&branch={scope.pk}",
            branches_shown=any(s.kind == "district" for s in branch_roots(request.user, BRANCH_KINDS)),
            close_url=f"{reverse('coverage:close_year')}?year={year}" if closable else None)

    def sheets(request, year):
        if not branch_roots(request.user, BRANCH_KINDS):
            return None
        return [spec.sheet(spec.scope(request), year)]

    @login_required
    def missing(request, code):
        scope, target = spec.scope(request), spec.target(code)
        year = asked_year(request.GET, spec.default_year)
        closing = spec.closed(district_of_scope(scope), year)
        units = spec.listed(scope, code, year, closing)
        if units is None:
            raise Http404()
        return units_page(request, units, target=target, scope=scope, year=year, closed=closing,
                          unit_url=spec.unit_url)

    @login_required
    @require_http_methods(["GET", "POST"])
    def close_year(request):
        district = branch_scope_for(request.user, None)
        if district.parent_id is not None or not spec.may_close(request.user, district):
            raise Http404()
        year = asked_year(request.GET, spec.default_year) if request.method == "GET" else asked_year(request.POST)
        if year is None:
            raise Http404()
        dashboard_url = f"{reverse('coverage:dashboard')}?year={year}"
        if request.method == "POST":
            try:
                spec.close(district=district, year=year, actor=request.user, ip=client_ip(request))
            except RuleViolation as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("%(year)s is closed: its figures are kept as they are now.")
                                 % {"year": year})
            return redirect(dashboard_url)
        if spec.closed(district, year) or year >= timezone.localdate().year:
            raise Http404()
        title = _("Close %(year)s") % {"year": year}
        return confirm_page(request, title=title, hidden=[("year", year)], submit=title, back_url=dashboard_url,
                            back_label=_("Cancel"), lines=[_(
                                "The coverage figures of %(name)s for %(year)s are kept as they are now: the "
                                "dashboard, its lists and the Excel of %(year)s show them ever after, whatever is "
                                "imported or corrected later. A closed year cannot be reopened.")
                                % {"name": district.name, "year": year}])

    register_coverage_section(spec.key, label=spec.label, render=render, sheets=sheets, order=spec.order,
                              default_year=spec.default_year, urlpatterns=[
                                  path("close/", close_year, name="close_year"),
                                  path("<slug:code>/", missing, name="missing")])
