"""The value an audit entry records of the actor's standing (derived in
workflows.organisations.hats). Kept apart, with no imports of its own, so
that the modules hats reads (access, delegation) may name it without an
import circle."""

from dataclasses import dataclass
from typing import Any, Optional


@dataclass(frozen=True)
class Hat:
    """What an audit entry records of the actor's standing: `organisation`
    and `role` of the membership used, `on_behalf_of` the absent holder a
    substitute stood in for (None when the actor holds it themselves)."""

    organisation: Any = None
    role: str = ""
    on_behalf_of: Optional[Any] = None


NO_HAT = Hat()
