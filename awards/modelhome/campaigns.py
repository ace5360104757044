"""Opening a model-home campaign (评选活动) from the app: the district
administrator names the scoring standard's version to use; every grassroots
union and sub-union of the district may then apply."""

from django.utils.html import format_html
from django.utils.translation import gettext as _

from workflows.cases.round_opening import open_round
from workflows.exceptions import RuleViolation
from workflows.models import OrgKind
from workflows.organisations.districts import units_under
from workflows.scoring.standards import version_take

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
    for `district` (the engine's open_round), on a scoring standard's version
    of the district, audited with the version and the number of units it
    reaches."""
    version = campaign.standard_version

    def take_standard(campaign):
        if version.standard.district_id != district.pk:
            raise RuleViolation(_("Choose a scoring standard of your district."))
        version_take(version)

    return open_round(campaign, district=district, actor=actor, action=OPENED, units=units_reached(district),
                      data={"standard_version": version.pk, "version": version.number}, check=take_standard, ip=ip)
