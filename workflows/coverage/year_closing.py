"""The service that closes a year of a targets section
(workflows.coverage.targets): the district freezes a past year's figures.

Until a year is closed its figures are computed from what the database
holds now, so a unit imported later or a fact corrected later moves them.
Closing keeps the figures of every target, overall and per branch, and the
units each target did not count (or, for a count target, counted), as the
snapshot of workflows.coverage.closing, in a row of the process's own
model (`district`, `year`, `closed_by`, `snapshot`, one per district and
year); from then on the page, the drill-down and the Excel of that year
read them. A closed year is never reopened or recomputed: a correction to
a closed year's figures is a matter for the record, not an edit.

Only the process's closing role at the district closes, only a year that
has ended, once. The process hands `closed`, `may_close` and `close` to
its TargetsSection."""

from dataclasses import dataclass
from typing import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.audit import log_action
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import Organisation
from workflows.organisations.access import has_role

from .closing import snapshot


@dataclass(frozen=True)
class YearClosing:
    model: type
    role: str  # who closes, at the district
    action: str  # the audit entry of a closing
    compute: Callable  # (scope, year, today=) → the section's figures
    not_counted: Callable  # (scope, code, year, today=) → the units a target lists, or None

    def closed(self, district, year):
        return self.model.objects.filter(district=district, year=year).first()

    def may_close(self, user, district):
        return has_role(user, self.role, district)

    def close(self, *, district, year, actor, ip=None, today=None):
        """Freeze `district`'s figures of `year` (a year that has ended)."""
        today = today or timezone.localdate()
        if not self.may_close(actor, district):
            raise NotAllowed(_("Only the district administrator closes a year."))
        if year >= today.year:
            raise RuleViolation(_("Only a year that has ended can be closed (%(year)s has not).") % {"year": year})
        try:
            with transaction.atomic():
                Organisation.objects.select_for_update().get(pk=district.pk)
                if self.closed(district, year):
                    raise RuleViolation(_("%(year)s is closed already.") % {"year": year})
                kept = snapshot(self.compute(district, year, today=today),
                                lambda code: self.not_counted(district, code, year, today=today))
                closing = self.model.objects.create(district=district, year=year, closed_by=actor, snapshot=kept)
                log_action(closing, self.action, actor=actor, organisation=district, role=self.role, ip=ip,
                           data={"year": year, "targets": {t["code"]: t["overall"] for t in kept["targets"]}})
        except IntegrityError:  # a second closing committed first
            raise RuleViolation(_("%(year)s is closed already.") % {"year": year}) from None
        return closing
