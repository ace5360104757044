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


def record_outcome(case, decision):
    """Called in the decision's transaction: the final decision keeps the
    value of the version's outcome it chose."""
    outcome = outcome_of(case, decision.code)
    if outcome is not None:
        KindCase.objects.filter(pk=case.pk).update(outcome=outcome["value"])
        case.outcome = outcome["value"]


def outcome_choices(case):
    """[(decision code, label, grants)] of the version's outcomes, for the
    decision panel."""
    return [(f"outcome_{i + 1}", o["label"], bool(o.get("positive"))) for i, o in enumerate(case.outcomes)]
