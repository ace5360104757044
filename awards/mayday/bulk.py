"""Bulk decisions from the inbox: approve or return several nominations at
once. Each goes through the same service function, in its own transaction,
with the version its reviewer saw: a nomination that changed meanwhile is
reported as such, never forced."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation

from awards.mayday import services
from awards.mayday.models import Nomination

BULK_ACTIONS = ("approve", "return")


@dataclass
class BulkOutcome:
    pk: int
    nomination: Nomination | None
    status: str  # "done", "changed", "refused", "invalid", "missing"
    message: str

    @property
    def ok(self):
        return self.status == "done"


def nominations_bulk_decide(*, items, action, actor, comment="", ip=None, queryset=None):
    """`items`: (pk, version seen) pairs. `queryset`: the nominations the
    actor may see (anything outside it is reported missing, as a 404 would).
    Returns one BulkOutcome per item, in order."""
    if action not in BULK_ACTIONS:
        raise RuleViolation(_("Choose approve or return."))
    if action == "return" and not (comment or "").strip():
        raise RuleViolation(_("Say what must be revised: a comment is required to return a nomination."))
    base = queryset if queryset is not None else Nomination.objects.all()
    outcomes = []
    seen = set()
    for pk, version in items:
        pk, version = int(pk), int(version)
        if pk in seen:
            continue
        seen.add(pk)
        nomination = base.filter(pk=pk).select_related("campaign", "organisation").first()
        if nomination is None:
            outcomes.append(BulkOutcome(pk, None, "missing", _("Not found.")))
            continue
        # Decide on what the reviewer saw: a newer version means it moved on.
        nomination.__dict__["version"] = version
        try:
            if action == "approve":
                services.nomination_approve(nomination=nomination, actor=actor, comment=comment, ip=ip)
                message = _("Approved: now %(state)s.") % {"state": nomination.get_state_display()}
            else:
                services.nomination_return(nomination=nomination, actor=actor, comment=comment, ip=ip)
                message = _("Returned for revision.")
            outcomes.append(BulkOutcome(pk, nomination, "done", message))
        except AlreadyHandled:
            nomination = Nomination.objects.filter(pk=pk).first() or nomination
            outcomes.append(
                BulkOutcome(
                    pk, nomination, "changed",
                    _("Changed meanwhile (now %(state)s); not decided.") % {"state": nomination.get_state_display()},
                )
            )
        except NotAllowed as exc:
            outcomes.append(BulkOutcome(pk, nomination, "refused", str(exc) or _("Not yours to decide.")))
        except RuleViolation as exc:
            outcomes.append(BulkOutcome(pk, nomination, "invalid", exc.message))
    return outcomes
