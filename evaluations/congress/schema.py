"""A report kind's fields, read from its schema: how a typed value is kept
in the report's JSON, and what a complete report must satisfy.

A draft keeps whatever typed value is well-formed (amounts non-negative);
completeness (required fields, the items adding up to the total, the
congress's quorum) is checked only when the report is submitted, here, so
the service refuses an incomplete report whichever page sent it."""

import datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.utils.translation import gettext as _

from workflows.exceptions import RuleViolation

FIELD_TYPES = ("text", "textarea", "decimal", "integer", "date", "items")


class ReportIncomplete(RuleViolation):
    """The report cannot be submitted; `errors` is [(field name or None,
    message)], so a page can show each message at its field."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(" ".join(str(message) for _field, message in errors))


def as_decimal(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def as_int(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def to_json(field_type, value):
    """A cleaned form value as the report's JSON keeps it."""
    if value in (None, ""):
        return None
    if field_type == "decimal":
        # Always to the fen, so "50000" and "50000.00" are kept alike.
        return str(Decimal(value).quantize(Decimal("0.01")))
    if field_type == "date":
        return value.isoformat()
    return value


def from_json(field_type, value):
    """A kept value as a form's initial value."""
    if value in (None, ""):
        return None
    if field_type == "date":
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            return None
    if field_type == "decimal":
        return as_decimal(value)
    return value


def item_rows(data, name):
    """The non-empty rows of an items field."""
    return [row for row in (data.get(name) or []) if any(row.get(k) not in (None, "") for k in ("item", "amount", "note"))]


def _label(kind, name):
    for field in kind.schema:
        if field["name"] == name:
            return field.get("label", name)
    return name


def completeness_errors(kind, data):
    """Why `data` is not a complete report of `kind`: [(field, message)]."""
    errors = []
    for field in kind.schema:
        name, label, ftype = field["name"], field.get("label", field["name"]), field.get("type", "text")
        if ftype == "items":
            rows = item_rows(data, name)
            if field.get("required") and not rows:
                errors.append((name, _("“%(field)s”: enter at least one row.") % {"field": label}))
            for number, row in enumerate(rows, start=1):
                if not (row.get("item") or "").strip():
                    errors.append((name, _("“%(field)s”, row %(row)s: enter the item.") % {"field": label, "row": number}))
                amount = as_decimal(row.get("amount"))
                if amount is None:
                    errors.append((name, _("“%(field)s”, row %(row)s: enter the amount.") % {"field": label, "row": number}))
                elif amount < 0:
                    errors.append((name, _("“%(field)s”, row %(row)s: the amount cannot be negative.")
                                   % {"field": label, "row": number}))
            continue
        value = data.get(name)
        if field.get("required") and value in (None, ""):
            errors.append((name, _("“%(field)s” is required.") % {"field": label}))
        elif ftype in ("decimal", "integer") and value not in (None, ""):
            number = as_decimal(value)
            if number is None:
                errors.append((name, _("“%(field)s” is not a number.") % {"field": label}))
            elif number < 0:
                errors.append((name, _("“%(field)s” cannot be negative.") % {"field": label}))
    if not errors:
        for check in kind.checks:
            errors.extend(_run_check(kind, check, data))
    return errors


def _run_check(kind, check, data):
    rule = check.get("rule")
    if rule == "items_total":
        return _items_total(kind, check, data)
    if rule == "quorum":
        return _quorum(kind, check, data)
    raise ValueError(f"Unknown check {rule!r} in report kind {kind.code}")


def _items_total(kind, check, data):
    rows = item_rows(data, check["items"])
    total = as_decimal(data.get(check["total"]))
    if total is None or not rows:
        return []
    items_sum = sum((as_decimal(row.get("amount")) or Decimal(0) for row in rows), Decimal(0))
    if items_sum == total:
        return []
    return [(check["items"], _(
        "The rows of “%(items)s” add up to %(sum)s yuan, but “%(total_label)s” is %(total)s yuan "
        "(a difference of %(diff)s yuan). Correct the rows or the total."
    ) % {"items": _label(kind, check["items"]), "sum": items_sum, "total_label": _label(kind, check["total"]),
         "total": total, "diff": abs(total - items_sum)})]


def quorum_needed(entitled, ratio):
    """The fewest present that is more than `ratio` of `entitled`."""
    return int(Fraction(entitled) * ratio) + 1


def _quorum(kind, check, data):
    entitled, present = as_int(data.get(check["entitled"])), as_int(data.get(check["present"]))
    if entitled is None or present is None:
        return []
    if entitled <= 0:
        return [(check["entitled"], _("“%(field)s” must be at least 1.") % {"field": _label(kind, check["entitled"])})]
    if present > entitled:
        return [(check["present"], _(
            "%(present)s delegates present is more than the %(entitled)s entitled to attend."
        ) % {"present": present, "entitled": entitled})]
    ratio = Fraction(check.get("numerator", 2), check.get("denominator", 3))
    needed = quorum_needed(entitled, ratio)
    if present >= needed:
        return []
    return [(check["present"], _(
        "The session is invalid: %(present)s of %(entitled)s delegates were present, which is not more than "
        "two thirds; at least %(needed)s must be present."
    ) % {"present": present, "entitled": entitled, "needed": needed})]


def display_fields(kind, data):
    """The report's content for a page or the PDF: [{"label", "type",
    "value" or "rows", "total"}], in the schema's order."""
    shown = []
    for field in kind.schema:
        name, ftype = field["name"], field.get("type", "text")
        entry = {"name": name, "label": field.get("label", name), "type": ftype}
        if ftype == "items":
            rows = item_rows(data, name)
            entry["rows"] = rows
            entry["total"] = sum((as_decimal(r.get("amount")) or Decimal(0) for r in rows), Decimal(0))
        else:
            value = data.get(name)
            entry["value"] = "" if value is None else value
        shown.append(entry)
    return shown
