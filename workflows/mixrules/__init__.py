"""Mix rules: "front-line workers at least 60 % of individual awards",
"enterprise heads at most 10 %", as data of a scope (a campaign).

A rule counts by a field of the cases: a model field, or what the
process's scheme (`registry.MixScheme`, e.g. a key of JSON answers) says
the field is looked up by. A process that registers a scheme also gets
the services (`services`: add, remove, the check at a decision, the
figures), the add form (`forms.MixRuleForm`) and the page's part
(`workflows/mixrules/_rules.html`).

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


def _rules(scope):
    """The scope's rules, each with `lookups` ({field: ORM path}) from the
    process's scheme (a model field is looked up by its name)."""
    from .registry import scheme_for_model

    scheme = scheme_for_model(type(scope))
    fields = {f.name: f for f in scheme.fields(scope)} if scheme else {}
    rules = list(rules_of(scope))
    for rule in rules:
        rule.lookups, rule.mix_fields = {name: f.path for name, f in fields.items()}, fields
    return rules


def _path(rule, name):
    return getattr(rule, "lookups", {}).get(name, name)


def value_at(case, path):
    """The case's value at an ORM path ("kind", "answers__gender"): an
    attribute, or a key of a dict (JSON) on the way."""
    value = case
    for part in path.split("__"):
        value = value.get(part, "") if isinstance(value, dict) else getattr(value, part, "")
    return value


def _matches_scope(rule, case):
    return all(str(value_at(case, _path(rule, key))) == str(value)
               for key, value in (rule.applies_to or {}).items())


def _matches(rule, case):
    return str(value_at(case, _path(rule, rule.field))) in {str(v) for v in rule.values}


def _scope_q(rule):
    return Q(**{_path(rule, key): value for key, value in (rule.applies_to or {}).items()})


def _part_q(rule):
    return Q(**{f"{_path(rule, rule.field)}__in": rule.values})


def _count(rule, qs):
    scoped = qs.filter(_scope_q(rule))
    return scoped.filter(_part_q(rule)).count(), scoped.count()


def _counts(rules, qs):
    """_count of every rule over `qs` in one query: [(part, whole)]."""
    if not rules:
        return []
    aggregates = {}
    for i, rule in enumerate(rules):
        scope = _scope_q(rule)
        aggregates[f"part{i}"] = Count("pk", filter=scope & _part_q(rule))
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


def _field_and_labels(name, model, fields):
    """(the field's label, {value as text: its label}) from the process's
    scheme, else the model's field, else the name itself."""
    if fields and name in fields:
        return str(fields[name].label), {str(v): str(label) for v, label in fields[name].choices}
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except Exception:
            pass
        else:
            return str(field.verbose_name), {str(v): str(label) for v, label in field.flatchoices}
    return name, {}


def describe(rule, model=None, fields=None):
    """A reader's sentence for the rule, e.g. "Candidate category: Front-line
    worker at least 60% of award: individual". `fields`: {name: MixField}
    of the process's scheme, read before the model."""
    if rule.label:
        return rule.label
    field_label, labels = _field_and_labels(rule.field, model, fields)
    values = [labels.get(str(v), str(v)) for v in rule.values]
    scope_parts = []
    for key, value in (rule.applies_to or {}).items():
        key_label, value_labels = _field_and_labels(key, model, fields)
        scope_parts.append(f"{key_label}: {value_labels.get(str(value), value)}")
    comparison = _("at least") if rule.comparison == MixComparison.AT_LEAST else _("at most")
    text = _("%(field)s %(values)s %(comparison)s %(percent)s%%") % {
        "field": field_label, "values": "/".join(values), "comparison": comparison,
        "percent": plain(rule.percent),
    }
    if scope_parts:
        text += _(" of %(scope)s") % {"scope": ", ".join(scope_parts)}
    return text


def _described(rule, model):
    return describe(rule, model, getattr(rule, "mix_fields", None))


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
    rules = _rules(scope)
    # Two queries whatever the number of rules (the campaign page shows them).
    for rule, (part, whole), (extra_part, extra_whole) in zip(rules, _counts(rules, granted), _counts(rules, in_play)):
        result.append(
            Figure(
                rule=rule, text=_described(rule, model), matching=part, total=whole, percent=percent(part, whole),
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
    for rule in _rules(scope):
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
                "rule": _described(rule, model), "part": part, "whole": whole, "pct": percent(part, whole),
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
    for rule in _rules(scope):
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
                "rule": _described(rule, model), "part": part, "whole": whole, "best": best_part,
                "best_whole": best_whole, "best_pct": percent(best_part, best_whole), "left": play_whole,
                "required": plain(rule.percent),
            }
        )
    if broken:
        raise RuleViolation(_("This decision would break a mix rule. %(details)s") % {"details": " ".join(broken)})
