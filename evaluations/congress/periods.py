"""Reporting periods: when a report is due, and the district opening a
period, which gives every grassroots union of the chosen sectors its due
report."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import log_action
from workflows.cases.round_opening import open_round
from workflows.dataforms.completeness import stored_date
from workflows.exceptions import RuleViolation
from workflows.models import Organisation, OrgKind
from workflows.notices.calendar import add_working_days
from workflows.notifications.due import tell_holders
from workflows.notifications.services import register_event

from .models import Period, Report, ReportingPeriod
from .roles import DISTRICT_ADMIN, SUBMITTER

register_event("congress.event.report_due", lambda d: (_("A report is due by %(date)s: %(period)s") % d, ""),
               label=gettext_lazy("A report period opens"), keyed=True)

DEFAULT_WORKING_DAYS = 20


def period_end(kind, year, half):
    if kind.period == Period.HALF_YEAR and half == 1:
        return datetime.date(year, 6, 30)
    return datetime.date(year, 12, 31)


def due_date(kind, year, half):
    """The period's deadline: `working_days` (kind's due rule) counted from
    the day after the period ends, e.g. the first half's report late in
    July, the second half's late the next January."""
    return _working_days_after(period_end(kind, year, half), kind.due_rule)


def due_date_for_session(kind, data):
    """For a kind due after each congress session: the session date (the
    rule's `field`) plus its working days; None otherwise or without a date."""
    rule = kind.due_rule
    session = stored_date(data, rule.get("field", "")) if rule.get("after") == "session" else None
    return None if session is None else _working_days_after(session, rule)


def _working_days_after(day, rule):
    days = int(rule.get("working_days", DEFAULT_WORKING_DAYS))
    # A deadline is a courtesy the district may extend: count Monday–Friday
    # in a year whose holidays are not published yet rather than refuse.
    return add_working_days(day + datetime.timedelta(days=1), days, strict=False)


def period_title(kind, year, half):
    if kind.period == Period.HALF_YEAR:
        label = _("first half") if half == 1 else _("second half")
        return _("%(year)s %(half)s · %(kind)s") % {"year": year, "half": label, "kind": kind.name}
    return _("%(year)s · %(kind)s") % {"year": year, "kind": kind.name}


def unions_concerned(district, sectors):
    return Organisation.objects.filter(
        path__startswith=district.path, kind=OrgKind.GRASSROOTS, sector__in=list(sectors)
    ).order_by("path")


def do_open_period(*, kind, year, half, sectors, district, actor, today=None, ip=None):
    """Open the period and give each grassroots union of `sectors` under
    `district` its due report (a draft, in its inbox). Saved by the
    engine's workflows.cases.round_opening, audited with the sectors and
    the number of unions it reaches."""
    from workflows.organisations.access import has_role

    if not has_role(actor, DISTRICT_ADMIN, district) or district.parent_id is not None:
        raise RuleViolation(_("Only the district's administrator opens a reporting period."))
    if kind.period == Period.HALF_YEAR and half not in (1, 2):
        raise RuleViolation(_("Choose the first or the second half of the year."))
    if kind.period != Period.HALF_YEAR:
        half = None
    if not sectors:
        raise RuleViolation(_("Choose at least one sector."))

    def not_open_yet(period):
        Organisation.objects.select_for_update().get(pk=district.pk)
        if ReportingPeriod.objects.filter(district=district, kind=kind, year=year, half=half).exists():
            raise RuleViolation(_("This reporting period is already open."))

    period = ReportingPeriod(kind=kind, year=year, half=half, title=period_title(kind, year, half),
                             sectors=sorted(sectors), due_on=due_date(kind, year, half), opened_by=actor)
    unions = unions_concerned(district, sectors)
    with transaction.atomic():
        open_round(period, district=district, actor=actor, action="congress.period.opened", units=unions,
                   data={"sectors": period.sectors}, check=not_open_yet, ip=ip)
        reports = Report.objects.bulk_create(
            [Report(period=period, kind=kind, organisation=org, due_on=period.due_on,
                    title=f"{period.title} · {org.name}"[:300]) for org in unions]
        )
        if not all(r.pk for r in reports):  # backends that do not return ids
            reports = list(Report.objects.filter(period=period))
        # The administrator acts as the district (the hat they wear here),
        # not as the union the report is due from.
        for report in reports:
            log_action(report, "congress.report.due", actor=actor, organisation=district, role=DISTRICT_ADMIN, ip=ip)
        tell_holders(reports, SUBMITTER, event="congress.event.report_due", key=lambda r: f"congress:due:{r.pk}",
                     data=lambda r: {"date": period.due_on.isoformat(), "period": period.title})
    return period
