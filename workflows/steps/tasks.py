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

from workflows.rowlocks import holds_lock, mark_locked

OPEN_TASK_STATUSES = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
ROLE_PREFIX = "role:"


def role_permission(role):
    return f"{ROLE_PREFIX}{role}"


def acting_pair(task):
    """(role code, organisation id) that the flow named to act on `task`."""
    return task.owner_permission.removeprefix(ROLE_PREFIX), int(task.owner_permission_obj_pk)


# Where process_of keeps a case's process on the case instance: one read
# per request however many helpers ask. A case has one process for its
# life (started by its first submission); the decision service forgets it
# where it starts a flow (`forget_process`).
_PROCESS_ATTR = "_workflow_process"
# The open tasks of a step this request has seen (workflows.steps.actors).
SEEN_TASKS_ATTR = "_workflow_seen_open_tasks"


def processes_of(case):
    """The case's processes, the latest first (a case has one; the latest
    is the one that runs)."""
    ct = ContentType.objects.get_for_model(case)
    return Process.objects.filter(artifact_content_type=ct, artifact_object_id=case.pk).order_by("-created", "-pk")


def process_of(case):
    cached = case.__dict__.get(_PROCESS_ATTR)
    if cached is not None:
        return cached
    process = processes_of(case).first()
    if process is not None:
        case.__dict__[_PROCESS_ATTR] = process
    return process


def known_process(case):
    """The process this request has read for the case, or None."""
    return case.__dict__.get(_PROCESS_ATTR)


def remember_process(case, process):
    case.__dict__[_PROCESS_ATTR] = process


def mark_process_locked(task):
    """Note that the current transaction holds `task`'s process row (read
    with the task under select_for_update)."""
    mark_locked(task.process)


def holds_process_lock(task):
    """Does the current transaction already hold `task`'s process row?
    (Never reads the process: a task without it was not locked with it.)"""
    return Task.process.is_cached(task) and holds_lock(task.process)


def share_process(source, target):
    """Let `target` (the same case, e.g. its locked copy) use the process
    `source` has read."""
    if _PROCESS_ATTR in source.__dict__:
        target.__dict__[_PROCESS_ATTR] = source.__dict__[_PROCESS_ATTR]


def forget_process(*cases):
    for case in cases:
        case.__dict__.pop(_PROCESS_ATTR, None)
        case.__dict__.pop(SEEN_TASKS_ATTR, None)


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
