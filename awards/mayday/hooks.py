"""The May Day award's rules that the engine calls from the declaration:
what routes a case (does it need the departments' sign-offs?), what must
hold before a decision (mix rules before an award or a decline, the
submission rules before a resubmission) and what follows one (a new round,
the sign-off requests, a department's opinion, the certificate)."""

from django.db.models import Exists
from django.utils import timezone

from awards.mayday import certificates, rules, signoffs
from awards.mayday.models import Campaign
from awards.mayday.models import NominationState as S
from awards.quotas import rules_of_campaigns
from workflows.mixrules.services import check_decision as check_mix_rules
from workflows.rowlocks import lock_related_first
from workflows.signoffs import answering as signoff_answering
from workflows.signoffs.services import request_signoffs


def _signoff_departments(nomination):
    return signoffs.departments_for(nomination.campaign.district, nomination.effective_sector)


def needs_signoffs(nomination):
    """Enterprise candidates go to the sign-offs when the district has
    sign-off departments for their sector."""
    return nomination.is_enterprise_candidate and bool(_signoff_departments(nomination))


# The district's final decisions lock the campaign row (the mix rules count
# against the campaign's figures; an award numbers a certificate on the
# campaign's counter). The lock order puts the campaign before its cases
# (docs/lock-order.md), so it is taken here, before the nomination's row.
LOCKS_CAMPAIGN = ("award", "decline")


def lock_first(nomination, code):
    if code in LOCKS_CAMPAIGN:
        # Kept on the nomination (its locked copy shares it) and marked as
        # locked: the certificate's numbering uses this copy instead of
        # locking and reading the row again (certificates.issue_certificate).
        # With whether it has mix rules (the award's check asks), in the
        # same statement.
        lock_related_first(nomination, "campaign", Campaign.objects.select_related("district").annotate(
            has_mix_rules=Exists(rules_of_campaigns())))


def before_decision(nomination, decision, actor):
    if decision.code in LOCKS_CAMPAIGN:  # award or decline
        check_mix_rules(nomination.campaign, nomination, granted=decision.code == "award")
    elif decision.code == "resubmit":
        rules.check_submittable(nomination, enforce_deadline=False)


def after_decision(nomination, decision, actor, task):
    if decision.new_round:
        nomination.submitted_at = timezone.now()
        rules.record_round(nomination, actor)
        nomination.save()
    if nomination.state == S.SIGNOFF and decision.code == "approve":
        # The split opens one task per request: create them before the
        # task completes.
        request_signoffs(nomination, _signoff_departments(nomination))
    signoff_answering.record_answer(nomination, decision, actor, task)
    if decision.code == "award":
        certificates.issue_certificate(nomination, actor)
