"""Bulk decisions on nominations (approve or return several at once, from
the inbox): the engine's `decide_many` over the May Day declaration's bulk
steps, each case in the step its state is in."""

from awards.mayday.declaration import MAYDAY
from awards.mayday.models import Nomination
from workflows.steps.bulk import decide_many


def nominations_bulk_decide(*, items, action, actor, comment="", ip=None, queryset=None):
    """`items`: (pk, version seen) pairs; `queryset`: the nominations the
    actor may see (the pages pass the scoped selector; anything outside it
    is reported missing, as a 404 would). One outcome per item."""
    if queryset is None:
        queryset = Nomination.objects.all()
    return decide_many(process=MAYDAY, items=items, decision=action, actor=actor, comment=comment, ip=ip,
                       queryset=queryset)
