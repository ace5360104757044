"""Reminders and escalation of reports (the `remind_reports` command, run
daily beside `send_reminders`).

Two clocks: a union's report is due on its `due_on` (reminded a few working
days before; once past, the union is told it is overdue and the
intermediate union's reviewers are told too); a step of the route (check,
review, revise, archive) has the declared `deadline_days` counted in
working days from the day the report entered the step's state, and past it
the actors are told and the step's `escalate_to` (default: the reviewers
one level up) too. Each message carries a key, so a second run the same day
(or two workers) never sends it twice."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.notices.calendar import working_days_between
from workflows.steps.deadlines import due_date, superiors_of
from workflows.notifications.services import notify

from .declaration import REPORT_PROCESS
from .models import OUTSTANDING_STATES, Report, ReportState
from .services import actors_of

STEP_STATES = (ReportState.SUBMITTED, ReportState.CHECKED, ReportState.ACCEPTED)


def step_due_on(report):
    """The day the open step of the route is due, or None."""
    step = REPORT_PROCESS.step_of_state(report.state)
    if step is None or not step.deadline_days:
        return None
    return due_date(timezone.localdate(report.state_changed_at), step.deadline_days)


def _escalation(step, organisation):
    if step.escalate_to is not None:
        return list(step.escalate_to(organisation))
    return superiors_of(organisation)


def remind_reports(today=None, remind_before=None):
    """Returns {"reminded": n, "overdue": n, "escalated_steps": n}."""
    today = today or timezone.localdate()
    if remind_before is None:
        remind_before = getattr(settings, "UNIONFLOW_REMIND_WORKING_DAYS_BEFORE", 1)
    counts = {"reminded": 0, "overdue": 0, "escalated_steps": 0}
    revise = REPORT_PROCESS.step("revise")
    outstanding = Report.objects.filter(state__in=OUTSTANDING_STATES).select_related("organisation", "kind", "period")
    for report in outstanding.order_by("due_on", "pk"):
        submitters = list(actors_of(report, revise))
        values = {"report": report, "date": report.due_on.isoformat()}
        if report.due_on < today:
            told = notify(submitters, title=_("Overdue: %(report)s was due on %(date)s") % values,
                          url=report.get_absolute_url(), key=f"congress:overdue:{report.pk}:{report.due_on}")
            parent = report.organisation.parent
            escalated = notify(superiors_of(report.organisation) if parent else [],
                               title=_("Overdue at %(org)s: %(report)s was due on %(date)s")
                               % {**values, "org": report.organisation.name},
                               url=report.get_absolute_url(), key=f"congress:overdue-up:{report.pk}:{report.due_on}")
            counts["overdue"] += bool(told or escalated)
        elif working_days_between(today + datetime.timedelta(days=1), report.due_on, strict=False) <= remind_before:
            told = notify(submitters, title=_("Reminder: %(report)s is due on %(date)s") % values,
                          url=report.get_absolute_url(), key=f"congress:remind:{report.pk}:{report.due_on}")
            counts["reminded"] += bool(told)
    for report in Report.objects.filter(state__in=STEP_STATES).select_related("organisation", "kind", "period"):
        due = step_due_on(report)
        if due is None or due >= today:
            continue
        step = REPORT_PROCESS.step_of_state(report.state)
        organisation = step.actor.at(report)
        values = {"step": step.title, "report": report, "date": due.isoformat()}
        key = f"congress:step-overdue:{report.pk}:{report.version}"
        told = notify(list(actors_of(report, step)),
                      title=_("Overdue: “%(step)s” for %(report)s was due on %(date)s") % values,
                      url=report.get_absolute_url(), key=key)
        up = notify(_escalation(step, organisation),
                    title=_("Overdue at %(org)s: “%(step)s” for %(report)s was due on %(date)s")
                    % {**values, "org": organisation.name}, url=report.get_absolute_url(), key=key + ":up")
        counts["escalated_steps"] += bool(told or up)
    return counts
