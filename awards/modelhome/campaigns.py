"""Opening a model-home campaign (评选活动) from the app: the district
administrator names the scoring standard's version to use; every grassroots
union and sub-union of the district may then apply."""

from django.db import transaction
from django.utils.translation import gettext as _

from awards.roles import Role
from workflows.audit import log_action
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import Organisation, OrgKind
from workflows.organisations.access import has_role
from workflows.scoring.standards import version_take

from .models import Campaign

OPENED = "modelhome.campaign.opened"


def units_reached(district):
    """The organisations that may apply in a campaign of `district`."""
    return Organisation.objects.filter(
        kind__in=[OrgKind.GRASSROOTS, OrgKind.SUB_UNION], path__startswith=district.path,
    ).order_by("path")


def do_open_campaign(*, district, campaign, actor, ip=None):
    """Save `campaign` (an unsaved Campaign, its fields checked by the form)
    for `district`, with an audit entry naming the standard's version and
    the number of units it reaches."""
    if district.parent_id is not None or not has_role(actor, Role.DISTRICT_ADMIN, district):
        raise NotAllowed(_("Only the district administrator opens a campaign."))
    version = campaign.standard_version
    if version.standard.district_id != district.pk:
        raise RuleViolation(_("Choose a scoring standard of your district."))
    with transaction.atomic():
        version_take(version)
        if Campaign.objects.select_for_update().filter(code=campaign.code).exists():
            raise RuleViolation(_("A campaign with this code already exists."))
        campaign.district = district
        campaign.save()
        log_action(campaign, OPENED, actor=actor, organisation=district, role=Role.DISTRICT_ADMIN, ip=ip,
                   data={"standard_version": version.pk, "version": version.number,
                         "units": units_reached(district).count()})
    return campaign
