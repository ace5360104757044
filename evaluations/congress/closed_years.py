"""Closing a year of coverage: the district freezes a past year's figures.

Until a year is closed its figures are computed from what the database
holds now (evaluations.congress.coverage), so a union imported later or a
fact corrected later moves them. Closing keeps the figures of every target,
overall and per intermediate union, and the unions each target did not
count (or, for a count target, counted), in a CoverageYear (the engine's
workflows.coverage.closing); from then on the dashboard, the drill-down
and the Excel export of that year read them, with the branches named as
they were. A closed year is never reopened or recomputed: a correction to
a closed year's figures is a matter for the record, not an edit.

Only a district administrator closes, only a year that has ended, once."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import log_action, register_action_labels
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.coverage.closing import snapshot
from workflows.models import Organisation
from workflows.organisations.access import has_role

from .coverage import coverage, not_counted
from .models import CoverageYear
from .roles import DISTRICT_ADMIN

CLOSED = "congress.coverage_year.closed"
register_action_labels({CLOSED: gettext_lazy("Coverage year closed")})


def closed_year(district, year):
    return CoverageYear.objects.filter(district=district, year=year).first()


def may_close(user, district):
    return has_role(user, DISTRICT_ADMIN, district)


def do_close_coverage_year(*, district, year, acting_user, ip=None, today=None):
    """Freeze `district`'s figures of `year` (a year that has ended)."""
    today = today or timezone.localdate()
    if not may_close(acting_user, district):
        raise NotAllowed(_("Only the district administrator closes a year."))
    if year >= today.year:
        raise RuleViolation(_("Only a year that has ended can be closed (%(year)s has not).") % {"year": year})
    try:
        with transaction.atomic():
            Organisation.objects.select_for_update().get(pk=district.pk)
            if closed_year(district, year):
                raise RuleViolation(_("%(year)s is closed already.") % {"year": year})
            kept = snapshot(coverage(district, year, today=today),
                            lambda code: not_counted(district, code, year, today=today))
            closing = CoverageYear.objects.create(district=district, year=year, closed_by=acting_user, snapshot=kept)
            log_action(closing, CLOSED, actor=acting_user, organisation=district, role=DISTRICT_ADMIN, ip=ip,
                       data={"year": year, "targets": {t["code"]: t["overall"] for t in kept["targets"]}})
    except IntegrityError:  # a second closing committed first
        raise RuleViolation(_("%(year)s is closed already.") % {"year": year}) from None
    return closing
