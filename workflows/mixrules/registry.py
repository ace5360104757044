"""What a process tells the engine about the mix rules of its campaigns,
per campaign model (as workflows.quotas.registry does for places)."""

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class MixField:
    """A field a rule may count by: its name (kept on the rule), its label,
    its values as [(stored value, label)] and the ORM path the cases are
    filtered on (the name when empty; "answers__gender" for a key of JSON
    answers). A stored value may be any JSON value (true for "yes")."""

    name: str
    label: Any
    choices: list
    lookup: str = ""

    @property
    def path(self):
        return self.lookup or self.name


@dataclass(frozen=True)
class MixScheme:
    # The fields a campaign's rules may count by ([MixField]).
    fields: Callable[[Any], list]
    # The campaign's cases granted so far, and those still in play (which
    # could yet be granted): querysets of the case model.
    granted: Callable[[Any], Any]
    in_play: Callable[[Any], Any]
    # The organisation whose `setter_role` sets the rules (the district).
    top: Callable[[Any], Any]
    setter_role: Any
    # Audit codes: f"{audit_prefix}.mix_rule.added" / ".mix_rule.removed".
    audit_prefix: str
    # The case model, for labels of fields the scheme does not list.
    model: Any = None


_SCHEMES = {}


def register_mix_rules(model, scheme):
    """Called by a process at start-up (its AppConfig.ready) for its campaign model."""
    _SCHEMES[model] = scheme


def scheme_for_model(model):
    return _SCHEMES.get(model) or _SCHEMES.get(getattr(getattr(model, "_meta", None), "concrete_model", None))


def scheme_for(scope):
    scheme = scheme_for_model(type(scope))
    if scheme is None:
        raise LookupError(f"No mix-rule scheme registered for {type(scope).__name__}")
    return scheme
