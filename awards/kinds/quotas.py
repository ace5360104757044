"""The places of a campaign of a kind, handed down the tree by the
engine's quotas (workflows.quotas), as May Day's are (awards.quotas).

One category per campaign: the kind's code (a kind's outcomes are what the
district decides, not what it hands down; a district sets "so many places
in this campaign" per intermediate union, and the intermediate union
shares them among its grassroots unions).

A campaign whose district set no places at all is not limited (aid such as
school aid is given to whoever qualifies). Once any place is set, a case
handed in must find one at its intermediate union (and in its share); a
union directly under the district hands in outside the places handed
down, since the district holds those itself."""

from django.utils.translation import gettext as _

from awards.roles import Role
from workflows.models import OrgKind
from workflows.quotas.registry import QuotaScheme, register_quotas
from workflows.quotas.services import check_places, quotas_of

from .models import KindCampaign, KindCase, KindCaseState as S, KindVersion

# The cases that hold a place: handed in and neither refused nor withdrawn.
HOLDING_STATES = [S.CONFIRMING, S.INTERMEDIATE, S.DISTRICT, S.SIGNOFFS, S.RETURNED, S.AWAITING_NOTICE,
                  S.IN_NOTICE, S.DECIDING, S.GRANTED]
CATEGORY_FIELD = "kind_version__kind__code"


def category_of(campaign):
    return campaign.version.kind.code


def _labels():
    # The newest title of each kind's code (ordered by number: the last wins).
    return {row["kind__code"]: row["title"] or row["kind__code"]
            for row in KindVersion.objects.order_by("kind__code", "number").values("kind__code", "title")} \
        or {"": _("Places")}


def register():
    """Called from KindsConfig.ready."""
    register_quotas(KindCampaign, QuotaScheme(
        labels=_labels,
        categories=lambda campaign: [category_of(campaign)],
        top=lambda campaign: campaign.district,
        holders=lambda campaign: KindCase.objects.filter(campaign=campaign, state__in=HOLDING_STATES),
        category_field=CATEGORY_FIELD,
        setter_role=Role.DISTRICT_ADMIN,
        sharer_role=Role.REVIEWER,
        audit_prefix="kinds",
    ))


def check_case_places(case):
    """At submission, under the case's lock: the case must find a place
    when the campaign has places at all (see the module's docstring)."""
    campaign = case.campaign
    if not quotas_of(campaign).exists():
        return
    if case.organisation.ancestor_of_kind(OrgKind.INTERMEDIATE) is None:
        return
    check_places(campaign, category_of(campaign), case.organisation, exclude_pk=case.pk)
