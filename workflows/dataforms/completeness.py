"""A form described as data that is filled in over several sittings: the
draft keeps whatever typed value is well-formed, and completeness (the
required fields, each row of a list of items, the description's own
cross-field checks) is checked only when the answers are handed in, by
the service, whichever page sent them.

A description's `checks` are rules over its answers, registered by name:
``{"rule": "items_total", "items": <items key>, "total": <money key>}``
(the rows add up to the total) and ``{"rule": "quorum", "entitled": <key>,
"present": <key>, "numerator": 2, "denominator": 3}`` (more than that share
of those entitled were present)."""

import datetime
from fractions import Fraction

from django import forms
from django.utils.translation import gettext as _

from workflows.exceptions import RuleViolation

from .definition import build_form_class
from .items import filled_rows, number_messages, rows_total
from .palette import PALETTE, _decimal

NUMBER_KINDS = ("money", "number")


class Incomplete(RuleViolation):
    """The answers cannot be handed in; `errors` is [(key or None,
    message)], so a page can show each message at its field."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(" ".join(str(message) for _key, message in errors))


def draft_form_class(fields, *, base=forms.Form):
    """The form of `fields` with every field optional (a draft keeps what is
    typed) and number and date errors naming their field."""
    form_class = build_form_class([{**spec, "required": False} for spec in fields], base=base)
    for spec in fields:
        field = form_class.base_fields[spec["key"]]
        if isinstance(field, (forms.DecimalField, forms.IntegerField)):
            field.error_messages.update(number_messages(spec["label"]))
        elif isinstance(field, forms.DateField):
            field.error_messages["invalid"] = _("“%(field)s” is not a date (YYYY-MM-DD).") % {"field": spec["label"]}
    form_class.field_specs = list(fields)
    return form_class


def _label(fields, key):
    return next((spec["label"] for spec in fields if spec["key"] == key), key)


def _items_problems(spec, rows):
    problems, label = [], spec["label"]
    for number, row in enumerate(rows, start=1):
        where = {"field": label, "row": number}
        if not str(row.get("item") or "").strip():
            problems.append(_("“%(field)s”, row %(row)s: enter the item.") % where)
        amount = _decimal(row.get("amount"))
        if amount is None:
            problems.append(_("“%(field)s”, row %(row)s: enter the amount.") % where)
        elif amount < 0:
            problems.append(_("“%(field)s”, row %(row)s: the amount cannot be negative.") % where)
    return problems


def incomplete_answers(fields, answers, checks=()):
    """Why `answers` are not complete answers of `fields`: [(key, message)];
    the checks run once every field is well."""
    errors = []
    for spec in fields:
        key, label, value = spec["key"], spec["label"], answers.get(spec["key"])
        if spec["type"] == "items":
            rows = filled_rows(value)
            if spec.get("required") and not rows:
                errors.append((key, _("“%(field)s”: enter at least one row.") % {"field": label}))
            errors.extend((key, message) for message in _items_problems(spec, rows))
        elif spec.get("required") and value in (None, "", []):
            errors.append((key, _("“%(field)s” is required.") % {"field": label}))
        elif spec["type"] in NUMBER_KINDS and value not in (None, ""):
            number = _decimal(value)
            if number is None:
                errors.append((key, _("“%(field)s” is not a number.") % {"field": label}))
            elif number < 0:
                errors.append((key, _("“%(field)s” cannot be negative.") % {"field": label}))
    if not errors:
        for check in checks:
            errors.extend(CHECKS[check["rule"]](fields, check, answers))
    return errors


def _items_total(fields, check, answers):
    rows, total = filled_rows(answers.get(check["items"])), _decimal(answers.get(check["total"]))
    if total is None or not rows:
        return []
    items_sum = rows_total(rows)
    if items_sum == total:
        return []
    return [(check["items"], _(
        "The rows of “%(items)s” add up to %(sum)s yuan, but “%(total_label)s” is %(total)s yuan "
        "(a difference of %(diff)s yuan). Correct the rows or the total."
    ) % {"items": _label(fields, check["items"]), "sum": items_sum, "total_label": _label(fields, check["total"]),
         "total": total, "diff": abs(total - items_sum)})]


def quorum_needed(entitled, ratio):
    """The fewest present that is more than `ratio` of `entitled`."""
    return int(Fraction(entitled) * ratio) + 1


def _whole(value):
    number = _decimal(value)
    return int(number) if number is not None and number == int(number) else None


def _quorum(fields, check, answers):
    entitled, present = _whole(answers.get(check["entitled"])), _whole(answers.get(check["present"]))
    if entitled is None or present is None:
        return []
    if entitled <= 0:
        label = _label(fields, check["entitled"])
        return [(check["entitled"], _("“%(field)s” must be at least 1.") % {"field": label})]
    if present > entitled:
        return [(check["present"], _(
            "%(present)s present is more than the %(entitled)s entitled to attend."
        ) % {"present": present, "entitled": entitled})]
    share = Fraction(check.get("numerator", 2), check.get("denominator", 3))
    needed = quorum_needed(entitled, share)
    if present >= needed:
        return []
    # The share is the kind's own (data), so the message names it as a value.
    return [(check["present"], _(
        "The meeting is not quorate: %(present)s of %(entitled)s entitled were present, which is not more "
        "than %(share)s; at least %(needed)s must be present."
    ) % {"present": present, "entitled": entitled, "needed": needed,
         "share": f"{share.numerator}/{share.denominator}"})]


# rule → (fields, check, answers) → [(key, message)]
CHECKS = {"items_total": _items_total, "quorum": _quorum}
CHECK_KEYS = {"items_total": ("items", "total"), "quorum": ("entitled", "present")}


def problems_of_checks(fields, checks):
    """Every problem of a description's checks, as (place, message): an
    unknown rule, or a key that names no field."""
    keys, problems = {spec.get("key") for spec in fields if isinstance(spec, dict)}, []
    for i, check in enumerate(checks if isinstance(checks, list) else [None]):
        rule = check.get("rule") if isinstance(check, dict) else None
        if rule not in CHECKS:
            problems.append((f"checks[{i}]", _("“%(rule)s” is not a check. Checks: %(rules)s.")
                             % {"rule": str(rule)[:40], "rules": ", ".join(CHECKS)}))
            continue
        problems.extend((f"checks[{i}].{name}", _("“%(key)s” names no field.") % {"key": str(check.get(name))[:40]})
                        for name in CHECK_KEYS[rule] if check.get(name) not in keys)
    return problems


def answer_entries(fields, answers):
    """The answers for a page or a printed copy, in the description's order:
    [{"key", "label", "type", "value"}] with, for a list of items, "rows"
    and their "total"; a value as stored (amounts to the fen, dates ISO)."""
    entries = []
    for spec in fields:
        entry = {"key": spec["key"], "label": spec["label"], "type": spec["type"]}
        value = answers.get(spec["key"])
        if spec["type"] == "items":
            entry["rows"] = filled_rows(value)
            entry["total"] = rows_total(value)
        elif spec["type"] in PALETTE and spec["type"] not in ("money", "number", "date", "text", "long_text"):
            entry["value"] = PALETTE[spec["type"]].shown(value, spec=spec)
        else:
            entry["value"] = "" if value is None else value
        entries.append(entry)
    return entries


def stored_date(answers, key):
    """A stored date answer as a date, or None."""
    try:
        return datetime.date.fromisoformat(answers.get(key) or "")
    except (TypeError, ValueError):
        return None

