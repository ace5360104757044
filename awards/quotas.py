"""Quotas handed down the tree and the campaign's mix rules.

The places are the engine's (workflows.quotas): May Day registers its
awards as the categories (`register`). The district gives each intermediate
union its places per award; the intermediate union may share them among its
grassroots unions, never more than it holds (the engine's quota_set and
quota_share, workflows.quotas.services, on May Day's scheme).
Submission checks both levels (awards.mayday.rules.check_submittable).

Mix rules are data of the campaign (workflows.mixrules.services.rule_create),
enforced at the district's decision (workflows.mixrules.services.check_decision,
called by awards.mayday.hooks) and shown with their figures
(workflows.mixrules.services.figures_of).

Mix rules are counted over the awards made and the nominations "in play":
those from the district's review onwards (awaiting the district's review,
the sign-offs, the notice or the decision). A nomination still at its
union or at the intermediate union is not counted: it may never reach the
district, and counting it would let a rule look reachable on the strength
of candidates nobody at the district has seen.

- An award is refused when, after it, a rule could no longer be met even
  if every nomination in play were decided in the rule's favour.
- A decline is refused when it turns an "at least" rule from reachable to
  unreachable (e.g. front-line workers ≥ 60 %: declining front-line
  candidates one by one while awarding the others).

Details and the figures in the messages: workflows.mixrules, whose
services keep, check and count the rules of any process's campaigns."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef
from django.utils import timezone

from workflows.mixrules.registry import MixField, MixScheme
from workflows.mixrules.registry import register_mix_rules as register_mix_scheme
from workflows.models import MixRule
from workflows.quotas.registry import QuotaScheme, register_quotas
from awards.roles import Role

from awards.mayday.models import ACTIVE_STATES, AwardKind, Campaign, Nomination
from awards.mayday.models import NominationState as S

# Nominations counted as still "in play" by the mix rules: from the
# district's review onwards (see the module's docstring).
MIX_IN_PLAY_STATES = [S.INTERMEDIATE_APPROVED, S.SIGNOFF, S.AWAITING_NOTICE, S.IN_NOTICE, S.DISTRICT_APPROVED]

# Nomination fields a mix rule may count by.
MIX_RULE_FIELDS = ["candidate_category", "sector", "kind", "gender", "political_status", "education"]


def register():
    """May Day's campaigns carry the engine's quotas (workflows.quotas): a
    category per award, the places held by the nominations in ACTIVE_STATES.
    Called from AwardsConfig.ready."""
    register_quotas(Campaign, QuotaScheme(
        labels=lambda: dict(AwardKind.choices),
        categories=lambda campaign: [str(kind) for kind in campaign.kinds],
        top=lambda campaign: campaign.district,
        holders=lambda campaign: Nomination.objects.filter(campaign=campaign, state__in=ACTIVE_STATES),
        category_field="kind",
        setter_role=Role.DISTRICT_ADMIN,
        sharer_role=Role.REVIEWER,
        audit_prefix="awards",
        closed_on=lambda campaign: None if campaign.is_open else timezone.localdate(campaign.submissions_close_at),
    ))


def rules_of_campaigns():
    """The mix rules of the campaign of the outer query (for an Exists
    annotation on campaigns)."""
    return MixRule.objects.filter(
        scope_type=ContentType.objects.get_for_model(Campaign), scope_id=OuterRef("pk"))


def mix_fields(campaign=None):
    """The nomination fields a rule may count by, with their values."""
    fields = []
    for name in MIX_RULE_FIELDS:
        field = Nomination._meta.get_field(name)
        fields.append(MixField(name=name, label=field.verbose_name,
                               choices=[(str(v), label) for v, label in field.flatchoices if v]))
    return fields


def register_mix_rules():
    """May Day's campaigns carry the engine's mix rules (workflows.mixrules):
    counted over the awards made and the nominations in play (the module's
    docstring). Called from AwardsConfig.ready."""
    register_mix_scheme(Campaign, MixScheme(
        fields=mix_fields,
        granted=lambda campaign: Nomination.objects.filter(campaign=campaign, state=S.AWARDED),
        in_play=lambda campaign: Nomination.objects.filter(campaign=campaign, state__in=MIX_IN_PLAY_STATES),
        top=lambda campaign: campaign.district,
        setter_role=Role.DISTRICT_ADMIN,
        audit_prefix="awards",
        model=Nomination,
    ))
