"""The May Day award's rules at submission: the campaign offers the award,
the deadline, the quota handed down (and shared out below), no second
nomination of the same person; and the rounds a nomination goes through
(each submission keeps a snapshot, so a later round shows its changes)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from awards.mayday.models import ACTIVE_STATES, AwardKind, Nomination
from awards.mayday.selectors import COMMON_FIELDS, GROUP_FIELDS, INDIVIDUAL_FIELDS
from workflows.exceptions import RuleViolation
from workflows.models import cases
from workflows.quotas.services import check_places


# The fields a submitter fills in, for any award; a revision snapshot keeps these.
SNAPSHOT_FIELDS = ["kind", *dict.fromkeys(INDIVIDUAL_FIELDS + GROUP_FIELDS + COMMON_FIELDS)]


def check_submittable(nomination, *, enforce_deadline):
    campaign = nomination.campaign
    if nomination.kind not in campaign.kinds:
        raise RuleViolation(_("This campaign does not offer this award."))
    if enforce_deadline and not campaign.is_open:
        raise RuleViolation(
            _("The submission deadline (%(deadline)s) has passed.")
            % {"deadline": timezone.localtime(campaign.submission_deadline).strftime("%Y-%m-%d %H:%M")}
        )
    # The places at the intermediate union and in its shares, under the
    # quota row's lock (workflows.quotas).
    check_places(campaign, nomination.kind, nomination.organisation, exclude_pk=nomination.pk)
    duplicates = Nomination.objects.filter(campaign=campaign, state__in=ACTIVE_STATES).exclude(pk=nomination.pk)
    if nomination.kind == AwardKind.INDIVIDUAL:
        duplicates = duplicates.filter(id_number=nomination.id_number)
    else:
        duplicates = duplicates.filter(kind=nomination.kind, nominee_name=nomination.nominee_name)
    if duplicates.exists():
        raise RuleViolation(
            _("%(name)s is already nominated in this campaign.") % {"name": nomination.nominee_name}
        )


def record_round(nomination, actor):
    """A new round, its snapshot kept (workflows.models.cases)."""
    cases.record_round(nomination, actor, SNAPSHOT_FIELDS)
