"""Mix rules: "front-line workers at least 60 % of individual awards",
"enterprise heads at most 10 %", as data of a scope (a campaign).

Figures are counted over two querysets the process supplies: the cases
already granted (`granted`) and those still in play (`in_play`, which could
yet be granted; the process decides how far along a case must be to count).

"Reachable" means: the rule would hold if every case still in play were
then decided in the rule's favour (for "at least", the matching ones
granted and the others refused; for "at most", the reverse).

- Granting (`check_grant`): a grant that moves the figure away from the
  rule is refused when, after it, the rule is no longer reachable.
- Refusing (`check_refusal`): only "at least" rules can be beaten this way,
  by turning down the matching cases one by one until too few are left. A
  refusal of a matching case is refused when the rule was reachable before
  it and is not after it.

A decision that moves the figure towards a rule is never refused for it,
so each case always has one decision left (grant or refusal) and the order
of decisions cannot deadlock the list; a list that ends broken shows so on
the figures page.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from workflows.exceptions import RuleViolation
from workflows.models import MixComparison, MixRule


def rules_of(scope):
    return MixRule.objects.filter(
        scope_type=ContentType.objects.get_for_model(scope), scope_id=scope.pk
    ).order_by("position", "pk")


def _matches_scope(rule, case):
    return all(str(getattr(case, key, "")) == str(value) for key, value in (rule.applies_to or {}).items())


def _matches(rule, case):
    return str(getattr(case, rule.field, "")) in {str(v) for v in rule.values}


def _scoped(rule, qs):
    return qs.filter(**(rule.applies_to or {}))


def _count(rule, qs):
    scoped = _scoped(rule, qs)
    return scoped.filter(**{f"{rule.field}__in": rule.values}).count(), scoped.count()


def _counts(rules, qs):
    """_count of every rule over `qs` in one query: [(part, whole)]."""
    if not rules:
        return []
    aggregates = {}
    for i, rule in enumerate(rules):
        scope = Q(**(rule.applies_to or {}))
        aggregates[f"part{i}"] = Count("pk", filter=scope & Q(**{f"{rule.field}__in": rule.values}))
        aggregates[f"whole{i}"] = Count("pk", filter=scope)
    found = qs.order_by().aggregate(**aggregates)
    return [(found[f"part{i}"], found[f"whole{i}"]) for i in range(len(rules))]


def plain(number):
    """60 → "60", 12.50 → "12.5" (Decimal.normalize alone gives "6E+1")."""
    return f"{Decimal(number).normalize():f}"


def percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _ok(rule, part, whole):
    if not whole:
        return True
    share = Decimal(part) * 100 / Decimal(whole)
    return share >= rule.percent if rule.comparison == MixComparison.AT_LEAST else share <= rule.percent


def describe(rule, model=None):
    """A reader's sentence for the rule, e.g. "Candidate category: Front-line
    worker at least 60% of award: individual"."""
    if rule.label:
        return rule.label
    field_label, values = rule.field, list(rule.values)
    scope_parts = []
    if model is not None:
        try:
            field = model._meta.get_field(rule.field)
            field_label = str(field.verbose_name)
            choices = dict(field.flatchoices)
            values = [str(choices.get(v, v)) for v in values]
        except Exception:
            pass
        for key, value in (rule.applies_to or {}).items():
            try:
                field = model._meta.get_field(key)
                scope_parts.append(f"{field.verbose_name}: {dict(field.flatchoices).get(value, value)}")
            except Exception:
                scope_parts.append(f"{key}: {value}")
    comparison = _("at least") if rule.comparison == MixComparison.AT_LEAST else _("at most")
    text = _("%(field)s %(values)s %(comparison)s %(percent)s%%") % {
        "field": field_label, "values": "/".join(values), "comparison": comparison,
        "percent": plain(rule.percent),
    }
    if scope_parts:
        text += _(" of %(scope)s") % {"scope": ", ".join(scope_parts)}
    return text


@dataclass
class Figure:
    rule: MixRule
    text: str
    matching: int
    total: int
    percent: Decimal | None
    ok: bool
    projected_matching: int
    projected_total: int
    projected_percent: Decimal | None
    projected_ok: bool

    @property
    def required(self):
        return self.rule.percent


def figures(scope, granted, in_play, model=None):
    """Each rule of `scope` with its figure over the cases granted so far
    and its projection over granted + in play."""
    result = []
    rules = list(rules_of(scope))
    # Two queries whatever the number of rules (the campaign page shows them).
    for rule, (part, whole), (extra_part, extra_whole) in zip(rules, _counts(rules, granted), _counts(rules, in_play)):
        result.append(
            Figure(
                rule=rule, text=describe(rule, model), matching=part, total=whole, percent=percent(part, whole),
                ok=_ok(rule, part, whole),
                projected_matching=part + extra_part, projected_total=whole + extra_whole,
                projected_percent=percent(part + extra_part, whole + extra_whole),
                projected_ok=_ok(rule, part + extra_part, whole + extra_whole),
            )
        )
    return result


def check_grant(scope, case, granted, in_play, model=None):
    """Raise RuleViolation (with the figures) if granting `case` would make a
    rule of `scope` unreachable. `granted` and `in_play` must not hold
    `case`."""
    broken = []
    for rule in rules_of(scope):
        if not _matches_scope(rule, case):
            continue
        matches = _matches(rule, case)
        if rule.comparison == MixComparison.AT_LEAST and matches:
            continue  # moves the figure up, towards the rule
        if rule.comparison == MixComparison.AT_MOST and not matches:
            continue  # moves the figure down, towards the rule
        part, whole = _count(rule, granted)
        part, whole = part + int(matches), whole + 1
        play_part, play_whole = _count(rule, in_play)
        if rule.comparison == MixComparison.AT_LEAST:
            best_part, best_whole = part + play_part, whole + play_part
        else:
            best_part, best_whole = part, whole + (play_whole - play_part)
        if _ok(rule, best_part, best_whole):
            continue
        broken.append(
            _(
                "“%(rule)s”: after this decision %(part)d of %(whole)d (%(pct)s%%), "
                "at best %(best_pct)s%% with the %(left)d candidate(s) still in play; the rule requires %(required)s%%."
            )
            % {
                "rule": describe(rule, model), "part": part, "whole": whole, "pct": percent(part, whole),
                "best_pct": percent(best_part, best_whole), "left": play_whole,
                "required": plain(rule.percent),
            }
        )
    if broken:
        raise RuleViolation(_("This decision would break a mix rule. %(details)s") % {"details": " ".join(broken)})


def check_refusal(scope, case, granted, in_play, model=None):
    """Raise RuleViolation (with the figures) if refusing `case` would make
    an "at least" rule of `scope` unreachable that is reachable now.
    `granted` and `in_play` must not hold `case`."""
    broken = []
    for rule in rules_of(scope):
        if rule.comparison != MixComparison.AT_LEAST or not _matches_scope(rule, case) or not _matches(rule, case):
            continue  # refusing it cannot lower this rule's best figure
        part, whole = _count(rule, granted)
        play_part, play_whole = _count(rule, in_play)
        reachable_now = _ok(rule, part + play_part + 1, whole + play_part + 1)
        best_part, best_whole = part + play_part, whole + play_part
        if not reachable_now or _ok(rule, best_part, best_whole):
            continue
        broken.append(
            _(
                "“%(rule)s”: %(part)d of %(whole)d granted so far; without this candidate at best "
                "%(best)d of %(best_whole)d (%(best_pct)s%%) with the %(left)d candidate(s) still in play; "
                "the rule requires %(required)s%%."
            )
            % {
                "rule": describe(rule, model), "part": part, "whole": whole, "best": best_part,
                "best_whole": best_whole, "best_pct": percent(best_part, best_whole), "left": play_whole,
                "required": plain(rule.percent),
            }
        )
    if broken:
        raise RuleViolation(_("This decision would break a mix rule. %(details)s") % {"details": " ".join(broken)})
