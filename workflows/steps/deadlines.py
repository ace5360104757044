"""Deadlines of human steps, counted in working days, and the reminders.

A process calls `track(case, days_for_step)` after each routing: every open
human task of the case without a deadline gets one, due `days` working days
after the day it opened. `send_reminders()` (the `send_reminders` management
command, run daily by cron or the worker's scheduler) then:

- reminds whoever may act, once, when at most `remind_before` working days
  are left (in-app notification and e-mail);
- once the day has passed, tells them it is overdue and tells the superior
  organisation's reviewers (the district's administrators for a step of the
  district itself).

Each stamp on TaskDeadline is set by a conditional UPDATE before anything is
sent, so two runs (or two workers) never send the same reminder twice.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.notices.calendar import add_working_days, working_days_between
from workflows.steps.flows import OPEN_TASK_STATUSES, acting_pair, open_tasks
from workflows.models import Organisation, Role, TaskDeadline, case_q
from workflows.notifications.services import notify


def due_date(opened_on, days):
    """The last day of `days` working days counted from the day after
    `opened_on`."""
    # Reminders are a courtesy: in a year whose holidays are not known yet,
    # count Monday–Friday rather than refuse the step.
    return add_working_days(opened_on + datetime.timedelta(days=1), days, strict=False)


def track(case, days_for_step):
    """Give each open human task of `case` its deadline. `days_for_step(name)`
    returns the step's working days, or None for a step without one."""
    created = []
    ct = ContentType.objects.get_for_model(case)
    for task in open_tasks(case).filter(flow_task_type="HUMAN", deadline__isnull=True):
        days = days_for_step(task.flow_task.name)
        if not days:
            continue
        opened_on = timezone.localdate(task.created)
        deadline, made = TaskDeadline.objects.get_or_create(
            task=task,
            defaults={"content_type": ct, "object_id": case.pk, "step": task.flow_task.name,
                      "due_on": due_date(opened_on, days)},
        )
        if made:
            created.append(deadline)
    return created


def open_deadlines(case):
    """The deadlines of the case's open tasks, soonest first."""
    return (
        TaskDeadline.objects.filter(case_q(case), task__status__in=OPEN_TASK_STATUSES)
        .select_related("task")
        .order_by("due_on", "pk")
    )


def overdue_deadlines(case, today=None):
    today = today or timezone.localdate()
    return [d for d in open_deadlines(case) if d.is_overdue(today)]


def _step_title(task):
    return str(task.flow_task.task_title or task.flow_task.name)


def _case_url(case):
    from workflows.organisations.delegation import case_url

    return case_url(case)


def superiors_of(organisation):
    """Who is told when a step of `organisation` is overdue: the reviewers of
    the organisation above it; for the district itself, its administrators."""
    User = get_user_model()
    if organisation.parent_id:
        return list(
            User.objects.filter(
                memberships__role=Role.REVIEWER, memberships__organisation_id=organisation.parent_id, is_active=True
            ).distinct()
        )
    return list(
        User.objects.filter(
            memberships__role=Role.DISTRICT_ADMIN, memberships__organisation=organisation, is_active=True
        ).distinct()
    )


def _stamp(deadline, field):
    """Set `field` once; True only for the run that set it."""
    return bool(
        TaskDeadline.objects.filter(pk=deadline.pk, **{f"{field}__isnull": True}).update(**{field: timezone.now()})
    )


def send_reminders(today=None, remind_before=None):
    """Send what is due today; returns {"reminded": n, "overdue": n}."""
    from workflows.organisations.recusal import eligible_actors

    today = today or timezone.localdate()
    if remind_before is None:
        remind_before = getattr(settings, "UNIONFLOW_REMIND_WORKING_DAYS_BEFORE", 1)
    counts = {"reminded": 0, "overdue": 0}
    pending = TaskDeadline.objects.filter(task__status__in=OPEN_TASK_STATUSES).filter(
        overdue_at__isnull=True
    ).select_related("task", "task__process", "content_type")
    for deadline in pending.order_by("due_on", "pk"):
        task = deadline.task
        case = deadline.case
        if case is None:
            continue
        left = working_days_between(today + datetime.timedelta(days=1), deadline.due_on, strict=False)
        values = {"step": _step_title(task), "case": case, "date": deadline.due_on.isoformat()}
        with transaction.atomic():
            if today > deadline.due_on:
                if not _stamp(deadline, "overdue_at"):
                    continue
                TaskDeadline.objects.filter(pk=deadline.pk, reminded_at__isnull=True).update(reminded_at=timezone.now())
                actors = eligible_actors(task, case)
                notify(
                    actors,
                    title=_("Overdue: “%(step)s” for %(case)s was due on %(date)s") % values,
                    url=_case_url(case), key=f"overdue:{deadline.pk}",
                )
                org_id = acting_pair(task)[1]
                organisation = Organisation.objects.get(pk=org_id)
                notify(
                    [u for u in superiors_of(organisation) if u not in actors],
                    title=_("Overdue at %(org)s: “%(step)s” for %(case)s was due on %(date)s")
                    % {**values, "org": organisation.name},
                    url=_case_url(case), key=f"overdue-superior:{deadline.pk}",
                )
                counts["overdue"] += 1
            elif deadline.reminded_at is None and left <= remind_before:
                if not _stamp(deadline, "reminded_at"):
                    continue
                notify(
                    eligible_actors(task, case),
                    title=_("Reminder: “%(step)s” for %(case)s is due on %(date)s") % values,
                    url=_case_url(case), key=f"reminder:{deadline.pk}",
                )
                counts["reminded"] += 1
    return counts
