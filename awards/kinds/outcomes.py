"""The outcomes of a case's final decision: the declared slots `outcome_N`
stand for the version's outcomes (labels and values are data of the kind).
Apart from cases.py so that the declaration's hooks can read them without
importing the services, which import the declaration."""

from .models import KindCase


def outcome_of(case, code):
    """The version's outcome a decision slot `outcome_N` stands for, or None."""
    if not code.startswith("outcome_"):
        return None
    try:
        index = int(code.removeprefix("outcome_")) - 1
    except ValueError:
        return None
    outcomes = case.outcomes
    return outcomes[index] if 0 <= index < len(outcomes) else None


def outcome_label(case, code):
    outcome = outcome_of(case, code)
    return outcome["label"] if outcome else ""


def note_outcome(case, decision):
    """Called before the decision's state change (the declaration's
    before_decision, once its checks passed): the final decision keeps the
    value of the version's outcome it chose, written by the engine's save
    of the case's row with its new state (one UPDATE)."""
    outcome = outcome_of(case, decision.code)
    if outcome is not None:
        case.outcome = outcome["value"]


def record_outcome(case, decision):
    """Called in the decision's transaction, after the state change: the
    outcome written on its own only where the engine did not save the case
    (a decision that waits for the step's other tasks, so no move)."""
    outcome = outcome_of(case, decision.code)
    if outcome is not None and case.state != decision.target:
        KindCase.objects.filter(pk=case.pk).update(outcome=outcome["value"])
        case.outcome = outcome["value"]


def outcome_choices(case):
    """[(decision code, label, grants)] of the version's outcomes, for the
    decision panel."""
    return [(f"outcome_{i + 1}", o["label"], bool(o.get("positive"))) for i, o in enumerate(case.outcomes)]
