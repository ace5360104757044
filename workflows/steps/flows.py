"""Glue between a case and its viewflow process.

A process flow (in awards/ or evaluations/) routes the human tasks: which
step is open and which organisation and role must act on it. The case's own
lifecycle is a django-fsm field; the service functions change it under a row
lock and then call `complete_step` here, which closes the open viewflow task
and lets the flow create the next one. The flow never changes the case.

Every human task carries its acting role as ``owner_permission`` ("role:
reviewer") and its acting organisation as ``owner_permission_obj``; the inbox
is the open tasks whose pair matches one of the user's memberships.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from viewflow.workflow import PROCESS, STATUS, lock
from viewflow.workflow.models import Process, Task

from workflows.organisations.access import memberships
from workflows.exceptions import AlreadyHandled
from workflows.models import Organisation

OPEN_TASK_STATUSES = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]

# Every flow of the project locks its process row; viewflow's default is none.
FLOW_LOCK = lock.select_for_update_lock


def role_permission(role):
    return f"role:{role}"


def human_step(view_node, role, acting_organisation):
    """Give a flow.View node its acting role and organisation.
    `acting_organisation(case)` returns the Organisation that must act."""
    return view_node.Permission(
        role_permission(role),
        obj=lambda process: acting_organisation(process.artifact),
    )


def start_case(activation, case):
    """The StartHandle function of every flow: attach the case."""
    activation.process.artifact = case
    activation.process.save()
    return activation.process


def process_of(case):
    ct = ContentType.objects.get_for_model(case)
    return (
        Process.objects.filter(artifact_content_type=ct, artifact_object_id=case.pk)
        .order_by("-created", "-pk")
        .first()
    )


def open_tasks(case):
    process = process_of(case)
    if process is None:
        return Task.objects.none()
    return process.task_set.filter(status__in=OPEN_TASK_STATUSES).order_by("created", "pk")


def open_step_names(case):
    return [task.flow_task.name for task in open_tasks(case)]


def lock_open_task(case, node):
    """The open task of `node` for `case`, row-locked. Call inside the
    transaction that holds the case's row lock. None open means the step
    was already taken: AlreadyHandled."""
    process = process_of(case)
    task = None
    if process is not None:
        task = (
            node.flow_class.task_class.objects.select_for_update()
            .filter(process=process, flow_task=node, status__in=OPEN_TASK_STATUSES)
            .first()
        )
    if task is None:
        raise AlreadyHandled()
    return task


def acting_pair(task):
    """(role, organisation id) that the flow named to act on `task`."""
    return task.owner_permission.removeprefix("role:"), int(task.owner_permission_obj_pk)


def may_act(user, task):
    if task.owner_id:  # reassigned to one user: theirs (or their substitute's) alone
        from workflows.organisations.delegation import delegators

        return task.owner_id == user.pk or task.owner_id in delegators(user)
    role, org_id = acting_pair(task)
    return any(m.role == role and m.organisation_id == org_id for m in memberships(user))


def complete_task(task, user):
    """Close `task` as `user` and let the flow create the next one. Runs in
    the caller's transaction, after the case's new state is saved: the
    flow's gateways route on it."""
    node = task.flow_task
    with node.flow_class.lock(task.process_id):
        activation = node.activation_class(task)
        if task.status == STATUS.NEW:
            activation.assign(user)
        if task.status == STATUS.ASSIGNED:
            activation.start(None)
        activation.execute()
    return task


def cancel_case_flow(case):
    """End a case's process early (withdrawal): cancel its open tasks."""
    process = process_of(case)
    if process is None:
        return
    flow_class = process.flow_class
    with flow_class.lock(process.pk):
        now = timezone.now()
        for task in process.task_set.filter(status__in=OPEN_TASK_STATUSES):
            task.status = STATUS.CANCELED
            task.finished = now
            task.save()
        process.status = PROCESS.CANCELED
        process.finished = now
        process.save()


def inbox_tasks(user):
    """Open human tasks the user may act on, oldest first."""
    from workflows.organisations.delegation import delegators

    pairs = {(role_permission(m.role), str(m.organisation_id)) for m in memberships(user)}
    if not pairs:
        return Task.objects.none()
    q = Q(pk__in=[])
    for permission, org_pk in pairs:
        q |= Q(owner_permission=permission, owner_permission_obj_pk=org_pk)
    # A task reassigned to one user leaves the others' inboxes.
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


def route_by_state(*branches, default):
    """A Switch gateway choosing the next node from the case's state:
    ``route_by_state((S.CONFIRMED, this.review), default=this.end)``."""
    from viewflow.workflow import flow

    switch = flow.Switch()
    for state, node in branches:
        switch = switch.Case(node, lambda activation, state=state: activation.process.artifact.state == state)
    return switch.Default(default)


def case_task_view(request, *args, **kwargs):
    """The page of a human task is the case's own page, where its decision
    form lives (viewflow's URLs are not mounted, but a node needs a view)."""
    from django.shortcuts import redirect

    task = kwargs.get("task") or Task.objects.get(pk=kwargs["task_pk"])
    return redirect(task.process.artifact.get_absolute_url())
