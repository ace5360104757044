"""Saving a round a district administrator opens from the app (the page is
workflows.cases.setup.round_setup_page), the one way for every process:
the district's administrator only, a code not yet taken, its places
(workflows.quotas) saved with it, audited with the places and the number
of units it reaches."""

from django.db import transaction
from django.utils.translation import gettext as _

from workflows.audit import log_action
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.organisations.access import has_role
from workflows.organisations.roles import ADMINISTRATOR
from workflows.quotas.services import create_places


def open_round(round_, *, district, actor, action, units=None, places=(), data=None, check=None, ip=None):
    """Save `round_` (an unsaved Round, its fields checked by the process's
    form) for `district` with `places`, a list of (organisation, category,
    count); `check(round_)`, the process's rule, runs first in the same
    transaction. Audited as `action` with `data`, the places and the count
    of `units` (a queryset) it reaches."""
    if district.parent_id is not None or not has_role(actor, ADMINISTRATOR, district):
        raise NotAllowed(_("Only the district administrator opens a campaign."))
    with transaction.atomic():
        if check is not None:
            check(round_)
        # A round without a code (a reporting period) keeps its own rule of
        # what is taken in `check`.
        if hasattr(round_, "code") and type(round_).objects.select_for_update().filter(code=round_.code).exists():
            raise RuleViolation(_("A campaign with this code already exists."))
        round_.district = district
        if hasattr(type(round_), "created_by"):  # a round that keeps who opened it (OpenRound)
            round_.created_by = actor
        round_.save()
        create_places(round_, places)
        data = dict(data or {})
        if places:
            data["quotas"] = [[o.pk, c, n] for o, c, n in places]
        if units is not None:
            data["units"] = units.count()
        log_action(round_, action, actor=actor, organisation=district, role=ADMINISTRATOR, ip=ip, data=data)
    return round_
