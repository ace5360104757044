"""The open tasks of a case, read from viewflow's tables.

Every human task names who acts on it: ``owner_permission`` is
"role:<code>" and ``owner_permission_obj`` the organisation where that role
must be held; a task given to one person (a step assigned to named users,
or a task the district reassigned) also has an ``owner``, and then only
that person (or their substitute) may take it. Nothing here changes a
task: `workflows.steps.flows` and the decision service do."""

from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch
from viewflow.workflow import STATUS
from viewflow.workflow.models import Process, Task

OPEN_TASK_STATUSES = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
ROLE_PREFIX = "role:"


def role_permission(role):
    return f"{ROLE_PREFIX}{role}"


def acting_pair(task):
    """(role code, organisation id) that the flow named to act on `task`."""
    return task.owner_permission.removeprefix(ROLE_PREFIX), int(task.owner_permission_obj_pk)


def process_of(case):
    ct = ContentType.objects.get_for_model(case)
    return (
        Process.objects.filter(artifact_content_type=ct, artifact_object_id=case.pk)
        .order_by("-created", "-pk")
        .first()
    )


def open_tasks(case):
    """The case's open human tasks, oldest first."""
    process = process_of(case)
    if process is None:
        return Task.objects.none()
    return process.task_set.filter(status__in=OPEN_TASK_STATUSES, flow_task_type="HUMAN").order_by("created", "pk")


def open_step_names(case):
    return [task.flow_task.name for task in open_tasks(case)]


def case_url(case):
    try:
        return case.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""
