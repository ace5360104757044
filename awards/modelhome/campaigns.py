"""Opening a model-home campaign (评选活动) from the app: the district
administrator names the scoring standard's version to use; every grassroots
union and sub-union of the district may then apply."""

from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext as _

from awards.roles import Role
from workflows.audit import log_action
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import OrgKind
from workflows.organisations.access import has_role
from workflows.organisations.districts import units_under
from workflows.scoring.standards import version_take

from .models import Campaign

OPENED = "modelhome.campaign.opened"


def units_reached(district):
    """The organisations that may apply in a campaign of `district`."""
    return units_under(district, [OrgKind.GRASSROOTS, OrgKind.SUB_UNION])


def campaign_facts(form):
    """What the confirmation shows of the campaign about to open."""
    campaign, version = form.instance, form.instance.standard_version
    thresholds = _("合格 from %(q)s, 模范 from %(m)s") % {"q": version.qualified_threshold,
                                                        "m": version.model_threshold}
    return [(_("Campaign"), format_html('{} <span class="muted">{}</span> · {}', campaign.title, campaign.code,
                                        campaign.year)),
            (_("Scoring standard"), f"{version} · {thresholds}"), (_("Title term (years)"), campaign.term_years)]


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
