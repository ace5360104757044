"""Deadlines of human steps, counted in working days, and the reminders.

A process calls `track(case, days_for_step)` after each routing: every open
human task of the case without a deadline gets one, due `days` working days
after the day it opened. `send_reminders()` (the `send_reminders` management
command, run daily by cron or the worker's scheduler) then:

- reminds whoever may act, once, when at most `remind_before` working days
  are left (in-app notification and e-mail);
- once the day has passed, tells them it is overdue and tells whom the
  step's declaration escalates to (`Step.escalate_to(organisation)`; by
  default the holders of the same role one organisation up, and the
  district's administrators for a step of the district itself).

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
from django.utils.translation import gettext_lazy

from workflows.notices.calendar import add_working_days, working_days_between
from workflows.models import Organisation, TaskDeadline, case_q
from workflows.notifications.services import notify, register_event
from workflows.organisations.recusal import eligible_actors
from workflows.organisations.roles import ADMINISTRATOR
from workflows.steps.registry import process_named, process_for, step_of_task
from workflows.steps.tasks import OPEN_TASK_STATUSES, acting_pair, case_url, open_tasks


def _step_title_of(data):
    try:
        return process_named(data["process"]).step(data["step"]).title
    except (KeyError, LookupError):
        return data.get("step", "")


def _values(data):
    return {**data, "step": _step_title_of(data)}


register_event(
    "workflows.event.deadline_reminder",
    lambda data: (_("Reminder: “%(step)s” for %(case)s is due on %(date)s") % _values(data), ""),
    label=gettext_lazy("A step's deadline is near"), keyed=True,
)
register_event(
    "workflows.event.deadline_overdue",
    lambda data: (_("Overdue: “%(step)s” for %(case)s was due on %(date)s") % _values(data), ""),
    label=gettext_lazy("A step is overdue"), keyed=True,
)
register_event(
    "workflows.event.deadline_overdue_superior",
    lambda data: (_("Overdue at %(org)s: “%(step)s” for %(case)s was due on %(date)s") % _values(data), ""),
    label=gettext_lazy("A step is overdue at an organisation below"), keyed=True,
)


def due_date(opened_on, days):
    """The last day of `days` working days counted from the day after
    `opened_on`."""
    # Reminders are a courtesy: in a year whose holidays are not known yet,
    # count Monday–Friday rather than refuse the step.
    return add_working_days(opened_on + datetime.timedelta(days=1), days, strict=False)


def _has_deadline(task):
    try:
        task.deadline
    except TaskDeadline.DoesNotExist:
        return False
    return True


def track(case, days_for_step, *, tasks=None):
    """Give each open human task of `case` its deadline. `days_for_step(name)`
    returns the step's working days, or None for a step without one.
    `tasks`: the case's open tasks, if the caller has them."""
    created = []
    ct = ContentType.objects.get_for_model(case)
    if tasks is None:
        todo = open_tasks(case).filter(flow_task_type="HUMAN", deadline__isnull=True)
    else:
        # Read with select_related("deadline"): a task without one has
        # no cached row (and a lookup raises).
        todo = [t for t in tasks if t.flow_task_type == "HUMAN" and not _has_deadline(t)]
    for task in todo:
        days = days_for_step(task.flow_task.name)
        if not days:
            continue
        opened_on = timezone.localdate(task.created)
        # The task has none (read above, under the case's row lock, which
        # every path that opens or tracks the case's tasks holds): a plain
        # insert, not get_or_create's read-and-savepoint.
        created.append(TaskDeadline.objects.create(
            task=task, content_type=ct, object_id=case.pk, step=task.flow_task.name,
            due_on=due_date(opened_on, days),
        ))
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


def escalation_targets(task, organisation):
    """Whom an overdue `task` at `organisation` is escalated to: the step's
    declared `escalate_to(organisation)`; by default the holders of the same
    role one organisation up, and for the district itself its
    administrators."""
    step = step_of_task(task)
    if step is not None and step.escalate_to is not None:
        return list(step.escalate_to(organisation))
    User = get_user_model()
    if organisation.parent_id:
        role = acting_pair(task)[0]
        return list(
            User.objects.filter(
                memberships__role=role, memberships__organisation_id=organisation.parent_id, is_active=True
            ).distinct()
        )
    return list(
        User.objects.filter(
            memberships__role=ADMINISTRATOR, memberships__organisation=organisation, is_active=True
        ).distinct()
    )


def _stamp(deadline, field):
    """Set `field` once; True only for the run that set it."""
    return bool(
        TaskDeadline.objects.filter(pk=deadline.pk, **{f"{field}__isnull": True}).update(**{field: timezone.now()})
    )


def send_reminders(today=None, remind_before=None):
    """Send what is due today; returns {"reminded": n, "overdue": n}."""
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
        process = process_for(case)
        data = {"process": process.key if process else "", "step": task.flow_task.name, "case": str(case),
                "date": deadline.due_on.isoformat()}
        with transaction.atomic():
            if today > deadline.due_on:
                if not _stamp(deadline, "overdue_at"):
                    continue
                TaskDeadline.objects.filter(pk=deadline.pk, reminded_at__isnull=True).update(reminded_at=timezone.now())
                actors = eligible_actors(task, case)
                notify(actors, event="workflows.event.deadline_overdue", data=data, url=case_url(case),
                       key=f"overdue:{deadline.pk}")
                org_id = acting_pair(task)[1]
                organisation = Organisation.objects.get(pk=org_id)
                notify(
                    [u for u in escalation_targets(task, organisation) if u not in actors],
                    event="workflows.event.deadline_overdue_superior", data={**data, "org": organisation.name},
                    url=case_url(case), key=f"overdue-superior:{deadline.pk}",
                )
                counts["overdue"] += 1
            elif deadline.reminded_at is None and left <= remind_before:
                if not _stamp(deadline, "reminded_at"):
                    continue
                notify(eligible_actors(task, case), event="workflows.event.deadline_reminder", data=data,
                       url=case_url(case), key=f"reminder:{deadline.pk}")
                counts["reminded"] += 1
    return counts
