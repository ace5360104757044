"""System checks run when the app loads: a process whose declaration could
leave a live case without an open task, or open a task that does not
belong to the case's state, is refused; so is a flow without its row lock."""

from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from viewflow.workflow import flow, lock

from workflows.steps.registry import flows, processes


def _all_flow_classes():
    seen, todo = [], list(flow.Flow.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.append(cls)
            todo.extend(cls.__subclasses__())
    return seen


def declaration_problems(process):
    """What is wrong with a declaration, as sentences (empty when sound)."""
    problems = []
    try:
        states = set(dict(process.get_model()._meta.get_field("state").flatchoices))
    except (LookupError, FieldDoesNotExist) as exc:  # the model is missing
        return [f"{process.key}: its model has no state field ({exc})."]
    owners = {}
    for step in process.steps:
        for state in step.states:
            owners.setdefault(state, []).append(step.name)
            if state in process.final_states or state == process.initial:
                problems.append(f"{process.key}: step {step.name!r} is open in {str(state)!r}, which no task may hold.")
        if step.fan_out and not (getattr(step.actor, "each", None) or hasattr(step.actor, "users")):
            problems.append(f"{process.key}: fan-out step {step.name!r} names no organisations or people.")
        if not step.manual and not step.decisions:
            problems.append(f"{process.key}: step {step.name!r} offers no decision and is not manual.")
    if process.selector is None and any(step.bulk for step in process.steps):
        # The inbox's bulk decisions look cases up only through it.
        problems.append(f"{process.key}: a bulk step needs the process's selector (the cases a user may see).")
    live = states - set(process.final_states) - {process.initial}
    for state in sorted(live):
        if len(owners.get(state, [])) != 1:
            problems.append(
                f"{process.key}: state {str(state)!r} must belong to exactly one step (now: {owners.get(state, [])})."
            )
    reachable = set(owners) | set(process.final_states)
    for step in process.steps:
        for decision in step.decisions:
            if decision.target not in reachable:
                problems.append(
                    f"{process.key}: decision {decision.code!r} of {step.name!r} leads to {str(decision.target)!r}, "
                    "a state no step owns and not final."
                )
    for transition in process.transitions:
        if transition.target not in reachable:
            problems.append(f"{process.key}: transition {transition.code!r} leads to {str(transition.target)!r}, "
                            "a state no step owns and not final.")
    for state in set(owners) | set(process.final_states) | {process.initial}:
        if state not in states:
            problems.append(f"{process.key}: {str(state)!r} is not a state of its model.")
    return problems + _history_map_problems(process, states)


def _history_map_problems(process, states):
    """An alias's entry must mean one of the process's own codes and states
    (workflows.history_aliases): a mistyped target would make the old
    decision count as no level and its move as no path, silently."""
    problems = []
    own = {process.audit_action(d.code, d.action) for step in process.steps for d in step.decisions}
    own |= {process.audit_action(t.code, t.action) for t in process.transitions}
    for old, new in sorted(process.history_code_map.items()):
        if new not in own:
            problems.append(f"{process.key}: history_code_map maps {old!r} to {new!r}, "
                            "which is none of its decisions' or transitions' codes.")
    for old, new in sorted(process.history_state_map.items()):
        if new not in states:
            problems.append(f"{process.key}: history_state_map maps {old!r} to {str(new)!r}, "
                            "which is not a state of its model.")
    return problems


@checks.register()
def check_processes(app_configs=None, **kwargs):
    errors = []
    for process in processes():
        for problem in declaration_problems(process):
            errors.append(checks.Error(problem, id="workflows.E001"))
    for flow_class in _all_flow_classes():
        if flow_class.__module__.startswith("viewflow."):
            continue
        if isinstance(flow_class.lock_impl, lock.NoLock) or flow_class.lock_impl is None:
            errors.append(checks.Error(
                f"{flow_class.__module__}.{flow_class.__name__} does not lock its process row.",
                hint="Build it with workflows.steps.flows.build_flow or derive it from LockedFlow.",
                id="workflows.E002",
            ))
    for flow_class in flows():
        if not isinstance(flow_class.lock_impl, lock.SelectForUpdateLock):
            errors.append(checks.Error(f"{flow_class.__name__} must lock with select_for_update.", id="workflows.E002"))
    return errors
