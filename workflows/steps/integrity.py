"""Does a case's open work agree with its state? The declaration says
which step is open in each state: a live case has open tasks of that step
and of no other; a case in its initial or a final state has none."""

from workflows.steps.registry import process_for
from workflows.steps.tasks import open_step_names


def task_state_problems(case):
    """What is wrong with the case's open tasks, as sentences (empty when
    they match its state)."""
    process = process_for(case)
    if process is None:
        return []
    step = process.step_of_state(case.state)
    names = open_step_names(case)
    label = f"{type(case).__name__} #{case.pk} ({case.state})"
    if step is None:
        return [f"{label}: no step is open in this state, yet tasks are: {names}"] if names else []
    problems = []
    if not names:
        problems.append(f"{label}: the step {step.name!r} has no open task")
    stray = sorted({name for name in names if name != step.name})
    if stray:
        problems.append(f"{label}: open tasks of other steps: {stray}")
    if not step.fan_out and len(names) > 1:
        problems.append(f"{label}: {len(names)} open tasks of {step.name!r}")
    return problems
