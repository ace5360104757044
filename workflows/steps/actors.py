"""Who may take an open task: the inbox's query and the decision's check
ask the same rules.

A task given to one person (a named-people step, or a reassignment) is
theirs alone, or their substitute's; any other task belongs to the holders
of its role at its organisation, and to whoever stands in for one of them
(`workflows.organisations.delegation`)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Subquery
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from workflows.exceptions import AlreadyHandled, NotAllowed
from workflows.models import Organisation
from workflows.organisations.access import memberships
from workflows.organisations.delegation import delegators
from workflows.steps.registry import flow_of, process_for
from workflows.steps.tasks import (
    OPEN_TASK_STATUSES, SEEN_TASKS_ATTR, acting_pair, known_process, mark_process_locked, process_of, processes_of,
    remember_process, role_permission,
)


def may_act(user, task):
    if task.owner_id:
        return task.owner_id == user.pk or task.owner_id in delegators(user)
    role, org_id = acting_pair(task)
    return any(m.role == role and m.organisation_id == org_id for m in memberships(user))


def open_tasks_of_step(case, step_name, *, lock=False):
    process = process_of(case)
    if process is None:
        return Task.objects.none()
    qs = process.task_set.filter(status__in=OPEN_TASK_STATUSES, flow_task_type="HUMAN")
    qs = qs.filter(flow_task=process.flow_class.instance.node(step_name))
    if lock:
        # The task rows and their process row in one statement, in the
        # order of docs/lock-order.md (case, task, process): the flow then
        # finds its process row locked (`flows.complete_task`).
        qs = qs.select_related("process").select_for_update(of=("self", "process"))
    return qs.order_by("created", "pk")


def seen_open_tasks_of_step(case, step_name):
    """The step's open tasks as this request sees them (unlocked), read
    once per case instance and step: the page's buttons, the recusal
    checks and the decision service's pre-check all ask. Kept with the
    case's state and version and dropped when either moves or the decision
    service syncs the instance (`forget_seen_tasks`); what is decided is
    always re-read under lock (`lock_task_for`)."""
    key = (step_name, case.state, getattr(case, "version", None))
    seen = case.__dict__.get(SEEN_TASKS_ATTR)
    if seen is None or seen[0] != key:
        seen = (key, _read_open_tasks_of_step(case, step_name))
        case.__dict__[SEEN_TASKS_ATTR] = seen
    return seen[1]


def _read_open_tasks_of_step(case, step_name):
    """The step's open tasks; where the request has not read the case's
    process yet, with the process in the same query (the latest process of
    the case, as process_of takes it)."""
    flow_class = flow_for(case)
    if known_process(case) is not None or flow_class is None:
        return list(open_tasks_of_step(case, step_name))
    tasks = list(
        Task.objects.filter(
            process_id=Subquery(processes_of(case).values("pk")[:1]), status__in=OPEN_TASK_STATUSES,
            flow_task_type="HUMAN", flow_task=flow_class.instance.node(step_name),
        ).select_related("process").order_by("created", "pk")
    )
    if tasks:
        process = tasks[0].process
        for task in tasks:
            task.process = process
        remember_process(case, process)
        return tasks
    # None open (or the process runs another flow class): as before.
    process = process_of(case)
    if process is not None and process.flow_class is not flow_class:
        return list(open_tasks_of_step(case, step_name))
    return tasks


def flow_for(case):
    process = process_for(case)
    return flow_of(process) if process is not None else None


def locked_open_tasks_of_step(case, step_name):
    """The step's open tasks, row-locked with their process (one process
    instance for all, the case's from now on), each marked as holding its
    process row in this transaction."""
    tasks = list(open_tasks_of_step(case, step_name, lock=True))
    if tasks:
        process = tasks[0].process
        for task in tasks:
            task.process = process
            mark_process_locked(task)
        remember_process(case, process)
    return tasks


def forget_seen_tasks(*cases):
    for case in cases:
        case.__dict__.pop(SEEN_TASKS_ATTR, None)


def task_for(actor, case, step_name):
    """The open task of `step_name` that `actor` may take (unlocked), or
    None."""
    return next((t for t in seen_open_tasks_of_step(case, step_name) if may_act(actor, t)), None)


def lock_task_for(actor, case, step_name):
    """The open task of the step that `actor` may take, row-locked: the task
    of the case itself, never one named by a URL. Call inside the
    transaction that holds the case's row lock. None open: the step was
    taken already (AlreadyHandled); open but not the actor's: NotAllowed."""
    tasks = locked_open_tasks_of_step(case, step_name)
    if not tasks:
        raise AlreadyHandled()
    for task in tasks:
        if may_act(actor, task):
            return task
    raise NotAllowed()


def inbox_tasks(user):
    """Open human tasks the user may act on, oldest first."""
    pairs = {(role_permission(m.role), str(m.organisation_id)) for m in memberships(user)}
    q = Q(pk__in=[])
    for permission, org_pk in pairs:
        q |= Q(owner_permission=permission, owner_permission_obj_pk=org_pk)
    # A task given to one person leaves the others' inboxes.
    q = (q & Q(owner__isnull=True)) | Q(owner_id__in=[user.pk, *delegators(user)])
    return (
        Task.objects.filter(q)
        .filter(
            flow_task_type="HUMAN",
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
            owner_permission_content_type=ContentType.objects.get_for_model(Organisation),
        )
        .select_related("process")
        .order_by("created", "pk")
    )
