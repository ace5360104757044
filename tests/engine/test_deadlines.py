"""Deadlines of a declared step: the reviewer is reminded before the day,
told when it has passed, and the step's escalation target hears of it;
each once, however often the job runs."""

import datetime

from tests.engine.toy.models import ToyState as S
from workflows.models import Notification, TaskDeadline
from workflows.steps.deadlines import due_date, send_reminders
from workflows.steps.decisions import decide
from workflows.steps.tasks import open_tasks
from django.utils import timezone


# Told apart by their keys ("reminder:<deadline>" ...), which say what was
# sent whatever the events are named.
REMINDER, OVERDUE, ESCALATED = "reminder:", "overdue:", "overdue-superior:"


def _told(user, kind):
    return Notification.objects.filter(user=user, key__startswith=kind).count()


def _deadline_notifications():
    return Notification.objects.filter(key__regex=r"^(reminder|overdue|overdue-superior):")


def test_the_review_step_gets_its_declared_working_days(people, journey):
    case = journey.submitted()
    task = open_tasks(case).get()

    deadline = TaskDeadline.objects.get(task=task)

    assert deadline.step == "review"
    assert deadline.due_on == due_date(timezone.localdate(task.created), 2)
    assert deadline.due_on > timezone.localdate(task.created)


def test_reminder_then_overdue_then_escalation_each_once(people, journey):
    case = journey.submitted()
    deadline = TaskDeadline.objects.get(task=open_tasks(case).get())

    early = send_reminders(today=deadline.due_on - datetime.timedelta(days=10))
    assert early == {"reminded": 0, "overdue": 0}
    assert _told(people.reviewer, REMINDER) == 0

    assert send_reminders(today=deadline.due_on) == {"reminded": 1, "overdue": 0}
    assert _told(people.reviewer, REMINDER) == 1
    reminder = Notification.objects.get(user=people.reviewer, key__startswith=REMINDER)
    assert reminder.data["step"] == "review" and reminder.url == case.get_absolute_url()

    late = deadline.due_on + datetime.timedelta(days=1)
    assert send_reminders(today=late) == {"reminded": 0, "overdue": 1}
    assert _told(people.reviewer, OVERDUE) == 1
    # The step escalates (by default) to the same role one level up.
    assert _told(people.reviewer_d, ESCALATED) == 1
    assert _told(people.reviewer, ESCALATED) == 0
    assert _told(people.submitter, OVERDUE) == 0

    assert send_reminders(today=late) == {"reminded": 0, "overdue": 0}
    assert _deadline_notifications().count() == 3


def test_a_decided_step_sends_nothing(people, journey):
    case = journey.submitted()
    deadline = TaskDeadline.objects.get(task=open_tasks(case).get())
    decide(case=case, actor=people.reviewer, decision="approve")
    assert case.state == S.INSPECTION

    counts = send_reminders(today=deadline.due_on + datetime.timedelta(days=1))

    assert counts == {"reminded": 0, "overdue": 0}
    assert not _deadline_notifications().exists()
