"""Quotas handed down the tree and the campaign's mix rules.

The places are the engine's (workflows.quotas): May Day registers its
awards as the categories (`register`). The district gives each intermediate
union its places per award (`quota_set`); the intermediate union may share
them among its grassroots unions (`quota_share`), never more than it holds.
Submission checks both levels (awards.mayday.rules.check_submittable).

Mix rules (`mix_rule_create`) are data of the campaign, enforced at the district's decision
(`check_mix_decision`, called by awards.mayday.services._decide) and shown with
their figures (`mix_rule_figures`).

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

Details and the figures in the messages: workflows.mixrules."""

from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows import mixrules
from workflows.organisations.access import has_role
from workflows.audit import log_action
from workflows.rowlocks import holds_lock
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import MixComparison, MixRule
from workflows.quotas import services as quota_services
from workflows.quotas.registry import QuotaScheme, register_quotas
from awards.roles import Role

from awards.mayday.models import ACTIVE_STATES, AwardKind, Campaign, Nomination
from awards.mayday.models import NominationState as S

# Nominations counted as still "in play" by the mix rules: from the
# district's review onwards (see the module's docstring).
MIX_IN_PLAY_STATES = [S.INTERMEDIATE_APPROVED, S.SIGNOFF, S.AWAITING_NOTICE, S.IN_NOTICE, S.DISTRICT_APPROVED]

# Nomination fields a mix rule may count by.
MIX_RULE_FIELDS = ["candidate_category", "sector", "kind", "gender", "political_status", "education"]


def _labels():
    return dict(AwardKind.choices)


def register():
    """May Day's campaigns carry the engine's quotas (workflows.quotas): a
    category per award, the places held by the nominations in ACTIVE_STATES.
    Called from AwardsConfig.ready."""
    register_quotas(Campaign, QuotaScheme(
        labels=_labels,
        categories=lambda campaign: [str(kind) for kind in campaign.kinds],
        top=lambda campaign: campaign.district,
        holders=lambda campaign: Nomination.objects.filter(campaign=campaign, state__in=ACTIVE_STATES),
        category_field="kind",
        setter_role=Role.DISTRICT_ADMIN,
        sharer_role=Role.REVIEWER,
        audit_prefix="awards",
        closed_on=lambda campaign: None if campaign.is_open else timezone.localdate(campaign.submissions_close_at),
    ))


def quota_set(*, campaign, organisation, kind, count, actor, ip=None):
    """The district sets an intermediate union's places for one award."""
    return quota_services.quota_set(scope=campaign, organisation=organisation, category=kind, count=count,
                                    actor=actor, ip=ip)


def quota_share(*, campaign, organisation, kind, count, actor, ip=None):
    """An intermediate union shares `count` of its places for `kind` with
    one of its grassroots unions (0 takes the share back)."""
    return quota_services.quota_share(scope=campaign, organisation=organisation, category=kind, count=count,
                                      actor=actor, ip=ip)


def mix_querysets(campaign, exclude_pk=None):
    """(awarded, in play) nominations of the campaign, without `exclude_pk`."""
    base = Nomination.objects.filter(campaign=campaign).exclude(pk=exclude_pk)
    return base.filter(state=S.AWARDED), base.filter(state__in=MIX_IN_PLAY_STATES)


def rules_of_campaigns():
    """The mix rules of the campaign of the outer query (for an Exists
    annotation on campaigns)."""
    return MixRule.objects.filter(
        scope_type=ContentType.objects.get_for_model(Campaign), scope_id=OuterRef("pk"))


def check_mix_decision(nomination, *, awarded):
    """At the district's decision (inside its transaction, `nomination`
    locked): refuse an award or a decline that breaks a mix rule, with the
    figures (RuleViolation)."""
    campaign = nomination.campaign
    # Known already when the decision locked the campaign first (lock_first
    # reads it with the campaign); asked otherwise.
    has_rules = getattr(campaign, "has_mix_rules", None)
    if has_rules is None:
        has_rules = mixrules.rules_of(campaign).exists()
    if not has_rules:
        return
    # Two decisions counted against the same figures must not pass side by
    # side: serialise the campaign's decisions on its row (the certificate
    # number is allocated under the same lock, taken in the same order).
    if not holds_lock(campaign):
        Campaign.objects.select_for_update().filter(pk=nomination.campaign_id).first()
    granted, in_play = mix_querysets(nomination.campaign, exclude_pk=nomination.pk)
    check = mixrules.check_grant if awarded else mixrules.check_refusal
    check(nomination.campaign, nomination, granted, in_play, model=Nomination)


def mix_rule_figures(campaign):
    """Each mix rule of the campaign with its current figure over the awards
    made and its projection over the nominations in play: a list of
    workflows.mixrules.Figure (text, matching, total, percent, ok, ...)."""
    granted, in_play = mix_querysets(campaign)
    return mixrules.figures(campaign, granted, in_play, model=Nomination)


def _validate_rule(field, values, comparison, percent, applies_to):
    if field not in MIX_RULE_FIELDS:
        raise RuleViolation(_("A mix rule counts by one of: %(fields)s.") % {"fields": ", ".join(MIX_RULE_FIELDS)})
    choices = {str(v) for v, _label in Nomination._meta.get_field(field).flatchoices}
    values = [str(v) for v in values]
    if not values or any(v not in choices for v in values):
        raise RuleViolation(_("Choose the values the rule counts."))
    if comparison not in MixComparison.values:
        raise RuleViolation(_("Choose “at least” or “at most”."))
    try:
        percent = Decimal(str(percent))
    except InvalidOperation as exc:
        raise RuleViolation(_("Give the share as a percentage.")) from exc
    if not (0 <= percent <= 100):
        raise RuleViolation(_("Give the share as a percentage."))
    for key, value in (applies_to or {}).items():
        if key not in MIX_RULE_FIELDS:
            raise RuleViolation(_("A rule is counted among cases chosen by: %(fields)s.") % {"fields": ", ".join(MIX_RULE_FIELDS)})
    return values, percent


def mix_rule_create(*, campaign, field, values, comparison, percent, actor, applies_to=None, label="", ip=None):
    """Add a mix rule to the campaign (district administrator)."""
    if not has_role(actor, Role.DISTRICT_ADMIN, campaign.district):
        raise NotAllowed(_("Only the district administrator sets the mix rules."))
    values, percent = _validate_rule(field, values, comparison, percent, applies_to)
    with transaction.atomic():
        scope_type = ContentType.objects.get_for_model(campaign)
        position = MixRule.objects.filter(scope_type=scope_type, scope_id=campaign.pk).count()
        rule = MixRule.objects.create(
            scope_type=scope_type, scope_id=campaign.pk, field=field, values=values, comparison=comparison,
            percent=percent, applies_to=applies_to or {}, label=label, position=position,
        )
        log_action(
            campaign, "awards.mix_rule.added", actor=actor, organisation=campaign.district,
            role=Role.DISTRICT_ADMIN, ip=ip,
            data={"field": field, "values": values, "comparison": comparison, "percent": str(percent),
                  "applies_to": applies_to or {}},
        )
    return rule


def mix_rule_delete(*, rule, actor, ip=None):
    campaign = rule.scope
    if not has_role(actor, Role.DISTRICT_ADMIN, campaign.district):
        raise NotAllowed(_("Only the district administrator sets the mix rules."))
    with transaction.atomic():
        log_action(
            campaign, "awards.mix_rule.removed", actor=actor, organisation=campaign.district,
            role=Role.DISTRICT_ADMIN, ip=ip,
            data={"field": rule.field, "values": rule.values, "comparison": rule.comparison,
                  "percent": str(rule.percent)},
        )
        rule.delete()
