"""The toy campaign's places: the engine's quotas (workflows.quotas), two
categories; a case holds a place from its submission until it is rejected
or withdrawn."""

from workflows.quotas.registry import QuotaScheme, register_quotas
from workflows.quotas.services import check_places

from tests.engine.toy.declaration import ADMIN, REVIEWER
from tests.engine.toy.models import ToyCampaign, ToyCase
from tests.engine.toy.models import ToyState as S

CATEGORIES = {"small": "Small grant", "large": "Large grant"}
HOLDING = [S.SUBMITTED, S.INSPECTION, S.AWAITING_NOTICE, S.IN_NOTICE, S.NOTICE_PASSED, S.RETURNED, S.ACCEPTED]


def register():
    register_quotas(ToyCampaign, QuotaScheme(
        labels=lambda: CATEGORIES,
        categories=lambda campaign: list(CATEGORIES),
        top=lambda campaign: campaign.district,
        holders=lambda campaign: ToyCase.objects.filter(campaign=campaign, state__in=HOLDING),
        category_field="category",
        setter_role=ADMIN,
        sharer_role=REVIEWER,
        audit_prefix="toy",
    ))


def check_submission(locked):
    """do_transition's `check` for "submit": the case finds a place."""
    if locked.campaign_id is not None:
        check_places(locked.campaign, locked.category, locked.organisation, exclude_pk=locked.pk)


def register_mix():
    """The toy campaign's mix rules (workflows.mixrules), counted by size,
    for the engine's rules page (tests/engine/test_rules_page.py)."""
    from workflows.mixrules.registry import MixField, MixScheme, register_mix_rules

    register_mix_rules(ToyCampaign, MixScheme(
        fields=lambda campaign: [MixField("category", "Size", list(CATEGORIES.items()))],
        granted=lambda campaign: ToyCase.objects.filter(campaign=campaign, state=S.ACCEPTED),
        in_play=lambda campaign: ToyCase.objects.filter(campaign=campaign, state__in=HOLDING),
        top=lambda campaign: campaign.district,
        setter_role=ADMIN,
        audit_prefix="toy",
        model=ToyCase,
    ))
