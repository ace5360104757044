"""Opening a campaign, saving, submitting and withdrawing a nomination. A
review's decision (approve, return, reject; the district's award or
decline) and the submitter's resubmission are the engine's
decide(case=, decision=) itself.

The decisions are the engine's (workflows.steps.decisions): each function
below names the decision or transition of the May Day declaration
(awards/mayday/declaration.py) and the engine locks the row, re-checks the
state and the version the actor saw (else AlreadyHandled, HTTP 409), checks
the open task against the actor, applies the change, writes the audit entry
and routes the flow; the declaration's hooks (awards/mayday/hooks.py) apply
the award's rules."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.mayday.models import NominationState as S
from awards.mayday.rules import check_submittable, record_round
from awards.roles import Role
from workflows.attachments.services import attach
from workflows.cases.editing import lock_for_editing
from workflows.cases.round_opening import open_round
from workflows.audit import log_action
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.organisations.access import has_role, principal_in
from workflows.steps.decisions import do_transition


# Campaigns ------------------------------------------------------------------

def campaign_create(*, campaign, quotas, actor, ip=None):
    """Open a campaign (unsaved `campaign`) with its quotas: a list of
    (organisation, kind, count)."""
    return open_round(campaign, district=campaign.district, places=quotas, actor=actor,
                      action="awards.campaign.opened", ip=ip)


# Submitting -----------------------------------------------------------------

def nomination_save_draft(*, nomination, actor, attachments=(), ip=None):
    """Create or update a draft (or a returned nomination being revised).
    `attachments` are unsaved Attachment objects."""
    if not has_role(actor, Role.SUBMITTER, nomination.organisation):
        raise NotAllowed(_("Only a submitter of the nominating union can edit this nomination."))
    with transaction.atomic():
        created = nomination.pk is None
        if not created:
            # A returned nomination is revised as the open "revise" step's work.
            locked = lock_for_editing(nomination, actor, editable=(S.DRAFT, S.RETURNED), returned=S.RETURNED,
                                      revise_step="revise", refusal=_("This nomination can no longer be edited."))
            nomination.version = locked.version + 1
        else:
            nomination.created_by = actor
        if not nomination.sector:
            # Left blank: the nominating union's sector, so that mix rules
            # count by what the data says (a non-public union's nominee is
            # non-public).
            nomination.sector = nomination.organisation.sector
        nomination.save()
        attach(nomination, attachments, actor=actor)
        log_action(
            nomination, "awards.nomination.created" if created else "awards.nomination.edited",
            actor=actor, organisation=nomination.organisation, role=Role.SUBMITTER,
            from_state=nomination.state, to_state=nomination.state, ip=ip,
            on_behalf_of=principal_in(actor, Role.SUBMITTER, nomination.organisation),
            data={"attachments": [a.original_name for a in attachments]},
        )
    return nomination


def nomination_submit(*, nomination, actor, ip=None):
    """Draft → awaiting the chair's confirmation; starts the flow."""
    if not has_role(actor, Role.SUBMITTER, nomination.organisation):
        raise NotAllowed(_("Only a submitter of the nominating union can submit this nomination."))

    def check(locked):
        check_submittable(locked, enforce_deadline=True)
        locked.submitted_at = timezone.now()
        record_round(locked, actor)

    try:
        return do_transition(case=nomination, actor=actor, code="submit", ip=ip, check=check)
    except IntegrityError as exc:  # the unique constraint caught a concurrent duplicate
        raise RuleViolation(
            _("%(name)s is already nominated in this campaign.") % {"name": nomination.nominee_name}
        ) from exc


def nomination_withdraw(*, nomination, actor, comment="", ip=None):
    """The submitter withdraws before the chair's confirmation (the first
    review), or while a returned case is back with them."""
    if not has_role(actor, Role.SUBMITTER, nomination.organisation):
        raise NotAllowed(_("Only a submitter of the nominating union can withdraw this nomination."))
    return do_transition(case=nomination, actor=actor, code="withdraw", comment=comment, ip=ip)
