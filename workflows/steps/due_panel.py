"""The inbox's panels of cases due from the user's organisations: a case a
process makes due before anyone acts on it (a report each union must hand
in) has no task yet, so the inbox lists it from here, soonest due first.
The process registers its outstanding cases, the role that owes them and
its words; one query per panel."""

from dataclasses import dataclass
from typing import Callable

from workflows.organisations.access import memberships

from .inbox import register_inbox_panel

LIMIT = 20
_PANELS = {}


@dataclass(frozen=True)
class DuePanel:
    key: str
    heading: object
    case_label: object  # the first column's heading
    outstanding: Callable  # () → the outstanding cases (with `organisation`, `due_on`, `state`)
    role: str  # who owes them: a holder of this role at the case's organisation
    title: Callable = str  # case → the text of its link


def register_due_panel(panel):
    _PANELS[panel.key] = panel
    register_inbox_panel("workflows/_due_cases.html")


def due_panels(user):
    """[(panel, cases)] of the panels with something due from `user`'s
    organisations, each case with its `due_title`."""
    shown = []
    for panel in _PANELS.values():
        orgs = [m.organisation_id for m in memberships(user) if m.role == panel.role]
        cases = list(panel.outstanding().filter(organisation_id__in=orgs).order_by("due_on", "pk")[:LIMIT]) if orgs else []
        for case in cases:
            case.due_title = panel.title(case)
        if cases:
            shown.append((panel, cases))
    return shown
