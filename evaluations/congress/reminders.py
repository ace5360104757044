"""Reminders of reports not handed in (the `remind_reports` command, run
daily beside the engine's `send_reminders`).

A union's report is due on its `due_on`: the union's submitters are
reminded a few working days before; once the day has passed they are told
it is overdue and the intermediate union's reviewers are told too. A report
handed in is on the route, whose steps the engine reminds and escalates
from the declaration's `deadline_days`. Each message carries a key, so a
second run (or two workers) never sends it twice (the engine's
workflows.notifications.due)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.notifications.due import remind_due
from workflows.notifications.services import register_event

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
    if remind_before is None:
        remind_before = getattr(settings, "UNIONFLOW_REMIND_WORKING_DAYS_BEFORE", 1)
    outstanding = Report.objects.filter(state__in=OUTSTANDING_STATES).select_related("organisation", "kind", "period")
    return remind_due(outstanding, today=today or timezone.localdate(), remind_before=remind_before, role=SUBMITTER,
                      superior_role=REVIEWER, prefix="congress", events={
                          "reminder": "congress.event.report_reminder", "overdue": "congress.event.report_overdue",
                          "overdue_superior": "congress.event.report_overdue_superior"})
