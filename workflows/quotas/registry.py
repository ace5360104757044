"""What a process tells the engine about its quotas, per campaign model."""

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class QuotaScheme:
    # {code: label} of every category the process knows.
    labels: Callable[[], dict]
    # The codes a campaign offers, in the order its pages show them.
    categories: Callable[[Any], list]
    # The organisation that hands the campaign's places down (the district).
    top: Callable[[Any], Any]
    # The campaign's cases that hold a place: a queryset of a model with an
    # `organisation` and the category in `category_field`.
    holders: Callable[[Any], Any]
    category_field: str
    # Who sets the intermediate unions' places (at `top`) and who shares an
    # intermediate union's places (at that union; the setter may as well).
    setter_role: Any
    sharer_role: Any
    # Audit codes: f"{audit_prefix}.quota.set" / ".quota.shared".
    audit_prefix: str
    # The date a campaign's places stopped moving (None while open): the
    # table leaves out the unions that joined the tree after it.
    closed_on: Callable[[Any], Any] = lambda scope: None

    def label(self, code):
        return self.labels().get(code, code)


_SCHEMES = {}


def register_quotas(model, scheme):
    """Called by a process at start-up (its AppConfig.ready) for its campaign model."""
    _SCHEMES[model] = scheme


def scheme_for_model(model):
    return _SCHEMES.get(model)


def scheme_for(scope):
    scheme = _SCHEMES.get(type(scope)) or _SCHEMES.get(scope._meta.concrete_model)
    if scheme is None:
        raise LookupError(f"No quota scheme registered for {type(scope).__name__}")
    return scheme
