"""The places of a campaign of a kind, handed down the tree by the
engine's quotas (workflows.quotas).

One category per kind the campaign offers: the kind's code (a kind's
outcomes are what the district decides, not what it hands down; a district
sets "so many places of this kind" per intermediate union, as May Day's
per award, and the intermediate union shares them among its grassroots
unions). A case holds a place of its own kind only.

A kind for which the district set no places in the campaign is not
limited (aid such as school aid is given to whoever qualifies). Once any
place of a kind is set, a case of that kind handed in must find one at its
intermediate union (and in its share); a union directly under the district
hands in outside the places handed down, since the district holds those
itself."""

from django.utils import timezone
from django.utils.translation import gettext as _

from awards.roles import Role
from workflows.memo import remembered
from workflows.models import OrgKind
from workflows.quotas.registry import QuotaScheme, register_quotas
from workflows.quotas.services import check_places, quotas_of

from .models import KindCampaign, KindCase, KindCaseState as S, KindVersion

# The cases that hold a place: handed in and neither refused nor withdrawn.
HOLDING_STATES = [S.CONFIRMING, S.INTERMEDIATE, S.DISTRICT, S.SIGNOFFS, S.RETURNED, S.AWAITING_NOTICE,
                  S.IN_NOTICE, S.DECIDING, S.GRANTED]
CATEGORY_FIELD = "kind_version__kind__code"


def categories_of(campaign):
    """The codes of the kinds the campaign offers, in its order."""
    return [version.kind.code for version in campaign.offered_versions]


def category_of(case):
    return case.kind_version.kind.code


def _labels():
    # The newest title of each kind's code (ordered by number: the last
    # wins). Read once in a page's or a decision's scope (workflows.memo):
    # the engine asks a label per category and per quota row.
    return remembered("kinds.quota_labels", lambda: {
        row["kind__code"]: row["title"] or row["kind__code"]
        for row in KindVersion.objects.order_by("kind__code", "number").values("kind__code", "title")
    } or {"": _("Places")})


def closed_on(campaign):
    """The last day cases were handed in, once the deadline has passed
    (None while open): the engine's tables then show the tree as it was
    that day (workflows.quotas.selectors.quota_table), as May Day's do."""
    return None if campaign.is_open else timezone.localtime(campaign.deadline).date()


def register():
    """Called from KindsConfig.ready."""
    register_quotas(KindCampaign, QuotaScheme(
        labels=_labels,
        categories=categories_of,
        top=lambda campaign: campaign.district,
        holders=lambda campaign: KindCase.objects.filter(campaign=campaign, state__in=HOLDING_STATES),
        category_field=CATEGORY_FIELD,
        setter_role=Role.DISTRICT_ADMIN,
        sharer_role=Role.REVIEWER,
        audit_prefix="kinds",
        closed_on=closed_on,
    ))


def check_case_places(case):
    """At submission, under the case's lock: the case must find a place
    of its kind when the campaign has places of that kind at all (see the
    module's docstring)."""
    campaign = case.campaign
    if not quotas_of(campaign).filter(category=category_of(case)).exists():
        return
    if case.organisation.ancestor_of_kind(OrgKind.INTERMEDIATE) is None:
        return
    check_places(campaign, category_of(case), case.organisation, exclude_pk=case.pk)
