"""The work plan's section of the coverage page (/coverage/, the engine's
workflows.coverage): the district's (or an intermediate union's own
branch's) figures against the work plan's targets, its sheet of the
page's Excel download, the drill-down of each target and the closing of a
year: the engine's targets section (workflows.coverage.targets), declared
here with this process's figures, targets and closed years."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.coverage.targets import TargetsSection, register_targets_section

from .closed_years import closed_year, do_close_coverage_year, may_close
from .coverage import coverage, not_counted
from .models import CoverageTarget, ReportingPeriod


def default_year():
    """The page opens at the year of the latest reporting period."""
    latest = ReportingPeriod.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year


def _close(*, district, year, actor, ip):
    return do_close_coverage_year(district=district, year=year, acting_user=actor, ip=ip)


WORK_PLAN = TargetsSection(
    key="work_plan", label=gettext_lazy("Coverage of the work plan"), order=10, compute=coverage,
    not_counted=not_counted, target=lambda code: get_object_or_404(CoverageTarget, code=code),
    target_of=CoverageTarget, closed=closed_year,
    sheet_title=lambda scope, year: _("Coverage of the work plan's targets, %(year)s · %(scope)s")
    % {"year": year, "scope": scope.name},
    default_year=default_year, may_close=may_close, close=_close,
    unit_url=lambda org: reverse("congress:facts_edit", args=[org.pk]))


def coverage_sheet(scope, year, today=None):
    """The sheet of the coverage figures (`manage.py export_coverage`)."""
    return WORK_PLAN.sheet(scope, year, today=today)


def register():
    register_targets_section(WORK_PLAN)
