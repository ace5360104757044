"""Reminders of reports not handed in (the `remind_reports` command, run
daily beside the engine's `send_reminders`).

A union's report is due on its `due_on`: the union's submitters are
reminded a few working days before; once the day has passed they are told
it is overdue and the intermediate union's reviewers are told too. A report
handed in is on the route, whose steps the engine reminds and escalates
from the declaration's `deadline_days`. Each message carries a key, so a
second run (or two workers) never sends it twice."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.notices.calendar import working_days_between
from workflows.notifications.mail import users_holding
from workflows.notifications.services import notify, register_event

from .models import OUTSTANDING_STATES, Report
from .roles import REVIEWER, SUBMITTER

register_event("congress.event.report_reminder",
               lambda d: (_("Reminder: %(report)s is due on %(date)s") % d, ""),
               label=gettext_lazy("A report is due soon"), keyed=True)
register_event("congress.event.report_overdue",
               lambda d: (_("Overdue: %(report)s was due on %(date)s") % d, ""),
               label=gettext_lazy("A report is overdue"), keyed=True)
register_event("congress.event.report_overdue_superior",
               lambda d: (_("Overdue at %(org)s: %(report)s was due on %(date)s") % d, ""),
               label=gettext_lazy("A report is overdue at an organisation below"), keyed=True)


def remind_reports(today=None, remind_before=None):
    """Returns {"reminded": n, "overdue": n} (reports whose people were told)."""
    today = today or timezone.localdate()
    if remind_before is None:
        remind_before = getattr(settings, "UNIONFLOW_REMIND_WORKING_DAYS_BEFORE", 1)
    counts = {"reminded": 0, "overdue": 0}
    outstanding = Report.objects.filter(state__in=OUTSTANDING_STATES).select_related("organisation", "kind", "period")
    for report in outstanding.order_by("due_on", "pk"):
        data = {"report": str(report), "date": report.due_on.isoformat(), "org": report.organisation.name}
        url, tag = report.get_absolute_url(), f"{report.pk}:{report.due_on}"
        submitters = users_holding(SUBMITTER, report.organisation_id)
        if report.due_on < today:
            told = notify(submitters, event="congress.event.report_overdue", data=data, url=url,
                          key=f"congress:overdue:{tag}")
            reviewers = users_holding(REVIEWER, report.organisation.parent_id) if report.organisation.parent_id else []
            up = notify(reviewers, event="congress.event.report_overdue_superior", data=data, url=url,
                        key=f"congress:overdue-up:{tag}")
            counts["overdue"] += bool(told or up)
        elif working_days_between(today + datetime.timedelta(days=1), report.due_on, strict=False) <= remind_before:
            told = notify(submitters, event="congress.event.report_reminder", data=data, url=url,
                          key=f"congress:remind:{tag}")
            counts["reminded"] += bool(told)
    return counts
