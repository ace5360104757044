"""The viewflow flow of a process, built from its declaration.

`build_flow(PROCESS, name=..., module=...)` makes one human node per step
whose task, once done, opens the step that owns the case's new state (or
the end, for a final state) itself (`StepActivation`, `route_of`): the
declaration is the only place a route is written. The `after_<step>`
switches that routed before are still in the flow (tasks stored with them
load, the diagram shows the routing) and route by the same rule; the start
and a fan-out step's join go through them. A fan-out step is a split that opens one
task per organisation or person, the step's node, and a join that goes on
when every task is done or the case has left the step's states (a refusal
that ends the step cancels the tasks still open).

The case's lifecycle is its own state field; the decision service changes
it under a row lock and then calls `complete_task`, which closes the open
task and lets the flow open the next ones. The flow never changes the case.

Every flow locks its process row (`LockedFlow`, `ProcessRowLock`;
viewflow's default is no lock, and a system check refuses a flow without
one)."""

import contextlib
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from viewflow import this
from viewflow.workflow import PROCESS, STATUS, flow, lock
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.context import context as viewflow_context
from viewflow.workflow.models import Process
from viewflow.workflow.nodes.end import EndActivation
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import flow_finished, task_finished, task_started

from workflows.models import Organisation
from workflows.steps.declaration import Assigned
from workflows.steps.registry import register
from workflows.steps.tasks import OPEN_TASK_STATUSES, holds_process_lock, process_of, role_permission

class ProcessRowLock(lock.SelectForUpdateLock):
    """viewflow's `select ... for update` of the process row. Taken inside
    a transaction that is already open (a decision: the case row is locked
    first, then the task, then this row) it locks the row in that
    transaction, waiting its turn, with no savepoint of its own: a failure
    in the flow then undoes the whole decision, never only the flow's part
    of it (a savepoint would let the case's new state commit without its
    task closed). Outside a transaction it is viewflow's own (a
    transaction of its own, NOWAIT with retries)."""

    @contextmanager
    def __call__(self, flow_class, process_pk):
        if not transaction.get_connection().in_atomic_block:
            with super().__call__(flow_class, process_pk):
                yield
            return
        flow_class.process_class._default_manager.filter(pk=process_pk).select_for_update().exists()
        yield


FLOW_LOCK = ProcessRowLock()


class LockedFlow(flow.Flow):
    """The base of every flow of the project: its process row is locked
    while a task of it changes."""

    lock_impl = FLOW_LOCK


def start_case(activation, case):
    """The StartHandle function of every flow: attach the case."""
    activation.process.artifact = case
    activation.process.save()
    return activation.process


def case_task_view(request, *args, **kwargs):
    """The page of a human task is the case's own page, where its decision
    form lives (viewflow's URLs are not mounted, but a node needs a view)."""
    from django.shortcuts import redirect
    from viewflow.workflow.models import Task

    task = kwargs.get("task") or Task.objects.get(pk=kwargs["task_pk"])
    return redirect(task.process.artifact.get_absolute_url())


def route_of(process_decl, flow_instance, case):
    """The node that owns the case's state: the entry node of the step
    whose states hold it, else the end. The one routing rule, used by the
    `after_<step>` switches and by a step's own direct routing."""
    for step in process_decl.steps:
        if case.state in step.states:
            return getattr(flow_instance, _entry_node_name(step))
    return flow_instance.end


class StepActivation(ViewActivation):
    """A human task of a declared step that, once done, opens the node
    owning the case's new state itself, without a switch task in between
    (one task row fewer, its link and its savepoint: about five statements
    a decision). The `after_<step>` switch stays in the flow for the tasks
    already stored with it and for the diagram; the route is the same
    declaration-derived rule (`route_of`)."""

    @Activation.status.transition(source=STATUS.DONE)
    def create_next(self):
        node = self.flow_task
        target = route_of(node.process_decl, node.flow_class.instance, self.process.artifact)
        yield target._create(self, self.task.token)


def _inside_decision():
    """Inside a transaction that is already open with failures propagated
    (a decision's: viewflow's default context), where a failure undoes the
    whole decision, as ProcessRowLock has it."""
    return transaction.get_connection().in_atomic_block and viewflow_context.propagate_exception


class CaseEndActivation(EndActivation):
    """viewflow's end of a flow, in three statements instead of five inside
    a decision: its task stored once, already done (one INSERT when it
    completes, not an INSERT and then an UPDATE), linked to the task before
    it, and the process closed by one conditional UPDATE that is also the
    check that no other task of it is unfinished (viewflow counts them
    first). No savepoint of its own: a failure undoes the whole decision, as
    ProcessRowLock has it, and a savepoint only costs two statements. The
    end task, its link and the closed process are stored as viewflow
    stores them. Elsewhere (a context that keeps a failed task's error
    state, which needs the task row to record it on) it is viewflow's."""

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        if not _inside_decision():
            return super().create(flow_task, prev_activation, token, data=data, seed=seed)
        task = flow_task.flow_class.task_class(process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        activation._previous = prev_activation.task
        # viewflow keeps activations in sets; the task has no id until it
        # is stored, at its completion, so it is hashed by identity.
        activation._identity = id(task)
        return activation

    def __hash__(self):
        identity = getattr(self, "_identity", None)
        return super().__hash__() if identity is None else identity

    @Activation.status.super()
    def activate(self):
        if self.task.pk is not None:
            return self._activate_stored()
        self.task.started = timezone.now()
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        finished = timezone.now()
        unfinished = self.flow_class.task_class._default_manager.filter(
            process=OuterRef("pk"), finished__isnull=True
        )
        closed = (
            type(self.process)._default_manager.filter(pk=self.process.pk).filter(~Exists(unfinished))
            .update(status=PROCESS.DONE, finished=finished)
        )
        if closed:
            self.process.status, self.process.finished = PROCESS.DONE, finished
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)
        if closed:
            flow_finished.send(sender=self.flow_class, process=self.process, task=self.task)

    def _activate_stored(self):
        """viewflow's end, for a task stored when it was created (outside a
        decision): its unfinished tasks counted, the process saved."""
        savepoint = contextlib.nullcontext() if _inside_decision() else transaction.atomic(savepoint=True)
        with self.exception_guard(), savepoint:
            self.task.started = timezone.now()
            task_started.send(sender=self.flow_class, process=self.process, task=self.task)
            active_tasks_count = (
                self.flow_class.task_class._default_manager.filter(process=self.process, finished__isnull=True)
                .exclude(pk=self.task.pk)
                .count()
            )
            if active_tasks_count == 0:
                self.process.status = STATUS.DONE
                self.process.finished = timezone.now()
                self.process.save()
            task_finished.send(sender=self.flow_class, process=self.process, task=self.task)
            if active_tasks_count == 0:
                flow_finished.send(sender=self.flow_class, process=self.process, task=self.task)

    @Activation.status.super()
    def complete(self):
        previous = getattr(self, "_previous", None)
        self.task.finished = timezone.now()
        self.task.save()
        if previous is not None:
            self.task.previous.add(previous)
            self._previous = None
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class CaseEnd(flow.End):
    activation_class = CaseEndActivation


class StepView(flow.View):
    """A human node of a declared step: who acts comes from the step's
    actor (a role at an organisation of the case, or named people); a task
    opened by a fan-out carries its organisation or person in its data."""

    def __init__(self, step, *, process_decl=None):
        super().__init__(case_task_view)
        self.step = step
        # Set for a step routed by its own activation (not a fan-out one,
        # whose tasks go to their join).
        self.process_decl = process_decl
        if process_decl is not None:
            self.activation_class = StepActivation
        self.Annotation(title=step.title)

    def _role(self):
        return getattr(self.step.actor, "role", "") or ""

    def calc_owner_permission(self, activation):
        return role_permission(self._role())

    def calc_owner_permission_obj(self, activation):
        data = activation.task.data or {}
        if data.get("organisation"):
            return Organisation.objects.get(pk=data["organisation"])
        case = activation.process.artifact
        at = getattr(self.step.actor, "at", None)
        return at(case) if at is not None else case.organisation

    def calc_owner(self, activation):
        data = activation.task.data or {}
        if data.get("user"):
            return get_user_model().objects.get(pk=data["user"])
        if isinstance(self.step.actor, Assigned) and not self.step.fan_out:
            users = list(self.step.actor.users(activation.process.artifact))
            return users[0] if users else None
        return None


class ForEachSplitActivation(SplitActivation):
    """A parallel split that opens a branch's node once per item of its
    data source (viewflow 2.4 documents data sources but ignores them)."""

    @Activation.status.super()
    def activate(self):
        for node, cond, data_source in self.flow_task._branches:
            if cond and not cond(self):
                continue
            items = data_source(self) if data_source is not None else [None]
            for item in items:
                self.next_tasks.append((node, item))
        if not self.next_tasks:
            raise FlowRuntimeError("No next task available for {}".format(self.flow_task.name))


class ForEachSplit(flow.Split):
    activation_class = ForEachSplitActivation

    def Each(self, node, data_source):
        self._activate_next.append((node, None, data_source))
        return self


def fan_out_items(step, case):
    """One task's data per organisation (a role at each) or per person."""
    if isinstance(step.actor, Assigned):
        return [{"user": user.pk} for user in step.actor.users(case)]
    return [{"organisation": org.pk if hasattr(org, "pk") else int(org)} for org in step.actor.each(case)]


def _entry_node_name(step):
    return f"{step.name}_split" if step.fan_out else step.name


def _router(process):
    """A switch choosing the step that owns the case's state (or the end)."""
    switch = flow.Switch()
    for step in process.steps:
        switch = switch.Case(
            getattr(this, _entry_node_name(step)),
            lambda activation, states=step.states: activation.process.artifact.state in states,
        )
    return switch.Default(this.end)


def build_flow(process, *, name, module, process_class=None):
    """The flow class of `process`, registered with the engine. Node names
    are the steps' names (with `after_<step>` switches, and `<step>_split` /
    `<step>_join` around a fan-out step): stored tasks refer to them."""
    attrs = {
        "__module__": module,
        "__doc__": str(process.title),
        "process_title": process.title,
        "start": flow.StartHandle(start_case).Next(this.after_start),
        "after_start": _router(process),
        "end": CaseEnd(),
    }
    if process_class is not None:
        attrs["process_class"] = process_class
    for step in process.steps:
        if step.fan_out:
            attrs[f"{step.name}_split"] = ForEachSplit().Each(
                getattr(this, step.name), lambda activation, step=step: fan_out_items(step, activation.process.artifact)
            )
            attrs[step.name] = StepView(step).Next(getattr(this, f"{step.name}_join"))
            attrs[f"{step.name}_join"] = flow.Join(
                continue_on_condition=lambda activation, active_tasks, states=step.states: (
                    activation.process.artifact.state not in states
                )
            ).Next(getattr(this, f"after_{step.name}"))
        else:
            attrs[step.name] = StepView(step, process_decl=process).Next(getattr(this, f"after_{step.name}"))
        attrs[f"after_{step.name}"] = _router(process)
    flow_class = type(name, (LockedFlow,), attrs)
    register(process, flow_class)
    return flow_class


def step_node(flow_class, step_name):
    return flow_class.instance.node(step_name)


def complete_task(task, user, *, case=None):
    """Close `task` as `user` and let the flow open the next ones. Runs in
    the caller's transaction, after the case's new state is saved: the
    flow's switches route on it. `case`: the caller's (locked, saved)
    instance, which the switches then read instead of loading it again."""
    if case is not None:
        Process._meta.get_field("artifact").set_cached_value(task.process, case)
    node = task.flow_task
    # A task locked with its process row in this transaction (the decision
    # service's `lock_task_for`) needs no second lock of that row.
    lock = contextlib.nullcontext() if holds_process_lock(task) else node.flow_class.lock(task.process_id)
    with lock:
        activation = node.activation_class(task)
        if task.status == STATUS.NEW:
            # viewflow's `assign` is these two fields and a save of its own;
            # the completion below saves the task anyway (one UPDATE, not
            # two). Whether `user` may take it was checked by the caller
            # under the task's row lock.
            task.owner = user
            task.status = STATUS.ASSIGNED
        if task.status == STATUS.ASSIGNED:
            activation.start(None)
        activation.execute()
    return task


def start_flow(flow_class, case):
    return flow_class.start.run(case=case)


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
