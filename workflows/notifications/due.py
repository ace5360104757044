"""Telling the holders of a role about cases due from their organisation:
when a round opens (each organisation's case is due), a few working days
before the due day, and once it has passed (the organisation above is told
too). Each message carries a key, so a second run (or two workers) never
sends it twice. The process names its events (registered with their words)
and its roles; the engine finds the people and counts who was told."""

import datetime

from workflows.models import Membership
from workflows.notices.calendar import working_days_between

from .mail import users_holding
from .services import notify


def tell_holders(cases, role, *, event, data, key):
    """Tell the active holders of `role` at each case's organisation
    (`data(case)`, `key(case)`); one query for the holders."""
    holders = {}
    for m in Membership.objects.filter(role=role, organisation__in=[c.organisation_id for c in cases],
                                       user__is_active=True).select_related("user"):
        holders.setdefault(m.organisation_id, []).append(m.user)
    for case in cases:
        notify(holders.get(case.organisation_id, []), event=event, data=data(case), url=case.get_absolute_url(),
               key=key(case))


def remind_due(cases, *, today, remind_before, role, superior_role, events, prefix):
    """Remind `role` at each case's organisation `remind_before` working
    days before its `due_on`; once past, tell them it is overdue and tell
    `superior_role` at the organisation above. `events`: {"reminder",
    "overdue", "overdue_superior"} event codes; `prefix` starts the keys.
    Returns {"reminded": n, "overdue": n} (cases whose people were told)."""
    counts = {"reminded": 0, "overdue": 0}
    for case in cases.order_by("due_on", "pk"):
        data = {"report": str(case), "date": case.due_on.isoformat(), "org": case.organisation.name}
        url, tag = case.get_absolute_url(), f"{case.pk}:{case.due_on}"
        holders = users_holding(role, case.organisation_id)
        if case.due_on < today:
            told = notify(holders, event=events["overdue"], data=data, url=url, key=f"{prefix}:overdue:{tag}")
            parent = case.organisation.parent_id
            up = notify(users_holding(superior_role, parent) if parent else [], event=events["overdue_superior"],
                        data=data, url=url, key=f"{prefix}:overdue-up:{tag}")
            counts["overdue"] += bool(told or up)
        elif working_days_between(today + datetime.timedelta(days=1), case.due_on, strict=False) <= remind_before:
            told = notify(holders, event=events["reminder"], data=data, url=url, key=f"{prefix}:remind:{tag}")
            counts["reminded"] += bool(told)
    return counts
