"""Setting a campaign's mix rules, the check at a decision and the
figures, for any process that registered a scheme (registry.MixScheme)."""

from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from workflows.audit import log_action
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import MixComparison, MixRule
from workflows.organisations.access import has_role
from workflows.rowlocks import holds_lock

from . import check_grant, check_refusal, figures, rules_of
from .registry import scheme_for


def _fields(scope):
    return {f.name: f for f in scheme_for(scope).fields(scope)}


def _validated(scope, field, values, comparison, percent, applies_to):
    """(values as stored, percent) or RuleViolation. Posted values are
    strings: each is mapped back to the field's stored value (true, 3)."""
    fields = _fields(scope)
    if field not in fields:
        raise RuleViolation(_("A mix rule counts by one of: %(fields)s.")
                            % {"fields": ", ".join(str(f.label) for f in fields.values())})
    stored = {str(value): value for value, _label in fields[field].choices}
    values = [str(v) for v in values or []]
    if not values or any(v not in stored for v in values):
        raise RuleViolation(_("Choose the values the rule counts."))
    if comparison not in MixComparison.values:
        raise RuleViolation(_("Choose “at least” or “at most”."))
    try:
        percent = Decimal(str(percent))
    except InvalidOperation as exc:
        raise RuleViolation(_("Give the share as a percentage.")) from exc
    if not percent.is_finite() or not (0 <= percent <= 100):
        raise RuleViolation(_("Give the share as a percentage."))
    for key in applies_to or {}:
        if key not in fields:
            raise RuleViolation(_("A rule is counted among cases chosen by: %(fields)s.")
                                % {"fields": ", ".join(str(f.label) for f in fields.values())})
    return [stored[v] for v in values], percent


def _require_setter(scheme, scope, actor):
    if not has_role(actor, scheme.setter_role, scheme.top(scope)):
        raise NotAllowed(_("Only the district administrator sets the mix rules."))


def rule_create(*, scope, field, values, comparison, percent, actor, applies_to=None, label="", ip=None):
    """Add a mix rule to the campaign `scope` (its setter only), audited."""
    scheme = scheme_for(scope)
    _require_setter(scheme, scope, actor)
    values, percent = _validated(scope, field, values, comparison, percent, applies_to)
    with transaction.atomic():
        scope_type = ContentType.objects.get_for_model(scope)
        position = MixRule.objects.filter(scope_type=scope_type, scope_id=scope.pk).count()
        rule = MixRule.objects.create(
            scope_type=scope_type, scope_id=scope.pk, field=field, values=values, comparison=comparison,
            percent=percent, applies_to=applies_to or {}, label=label, position=position,
        )
        log_action(
            scope, f"{scheme.audit_prefix}.mix_rule.added", actor=actor, organisation=scheme.top(scope),
            role=scheme.setter_role, ip=ip,
            data={"field": field, "values": values, "comparison": comparison, "percent": str(percent),
                  "applies_to": applies_to or {}},
        )
    return rule


def rule_delete(*, rule, actor, ip=None):
    scope = rule.scope
    scheme = scheme_for(scope)
    _require_setter(scheme, scope, actor)
    with transaction.atomic():
        log_action(
            scope, f"{scheme.audit_prefix}.mix_rule.removed", actor=actor, organisation=scheme.top(scope),
            role=scheme.setter_role, ip=ip,
            data={"field": rule.field, "values": rule.values, "comparison": rule.comparison,
                  "percent": str(rule.percent)},
        )
        rule.delete()


def rule_of(scope, pk):
    """One of the campaign's rules, or 404 (a rule of another campaign is
    not found here)."""
    text = str(pk or "")
    rule = rules_of(scope).filter(pk=int(text)).first() if text.isascii() and text.isdigit() and len(text) <= 18 else None
    if rule is None:
        raise Http404()
    return rule


def check_decision(scope, case, *, granted):
    """At a decision that grants (or refuses) `case`, inside its transaction
    with the case locked: RuleViolation, naming the rule with its figures,
    when the decision breaks a mix rule of `scope`. Decisions counted
    against the same figures are serialised on the campaign's row (a
    process that locked it first, before the case, keeps that order)."""
    scheme = scheme_for(scope)
    # Known already when the process locked the campaign with it; asked otherwise.
    has_rules = getattr(scope, "has_mix_rules", None)
    if has_rules is None:
        has_rules = rules_of(scope).exists()
    if not has_rules:
        return
    if not holds_lock(scope):
        type(scope)._default_manager.select_for_update().filter(pk=scope.pk).first()
    done = scheme.granted(scope).exclude(pk=case.pk)
    in_play = scheme.in_play(scope).exclude(pk=case.pk)
    check = check_grant if granted else check_refusal
    check(scope, case, done, in_play, model=scheme.model)


def figures_of(scope):
    """Each rule of the campaign with its figure over the cases granted and
    its projection over those in play (workflows.mixrules.Figure)."""
    scheme = scheme_for(scope)
    return figures(scope, scheme.granted(scope), scheme.in_play(scope), model=scheme.model)
