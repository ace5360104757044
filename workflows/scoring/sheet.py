"""Totals and grades of a scoring sheet, the same on the server as in the
page's running totals (static/js/score-totals.js). The standard's own
checks: each item's points, the total, the grade; any process's sheet
reuses them.

A sheet's total: the scored items' points, plus the bonus items', minus the
deductions (each deduction item's cap is its `max_points`). A veto item
answered "applies" fails the application whatever its total."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from workflows.exceptions import RuleViolation
from workflows.models import Grade, ItemKind

ZERO = Decimal("0")


class Incomplete(RuleViolation):
    """A sheet refused at submission; `errors` are (item, message) pairs
    (completeness_errors), the item None for a message about the whole."""

    def __init__(self, errors):
        super().__init__("；".join(message for _item, message in errors))
        self.errors = errors


def signed(item, value):
    """The value's contribution to the total."""
    if value is None or item.kind == ItemKind.VETO:
        return ZERO
    return -value if item.kind == ItemKind.DEDUCTION else value


@dataclass
class SectionTotal:
    section: object
    total: Decimal = ZERO
    max_points: Decimal = ZERO
    rows: list = field(default_factory=list)


def section_totals(items, values):
    """[SectionTotal] in sheet order; `values` maps item id → Decimal|None.
    `items` in sheet order (StandardVersion.ordered_items)."""
    sections = []
    for item in items:
        if not sections or sections[-1].section.pk != item.section_id:
            sections.append(SectionTotal(item.section))
        current = sections[-1]
        value = values.get(item.pk)
        current.total += signed(item, value)
        if item.kind == ItemKind.SCORED:
            current.max_points += item.max_points
        current.rows.append((item, value))
    return sections


def total_of(items, values):
    return sum((signed(item, values.get(item.pk)) for item in items), ZERO)


def grade_for(version, total, *, veto=False):
    if veto or total is None:
        return ""
    if total >= version.model_threshold:
        return Grade.MODEL
    if total >= version.qualified_threshold:
        return Grade.QUALIFIED
    return ""


def parse_points(raw):
    """A typed score as Decimal, None when blank; ValueError when not a
    number (the form says so and keeps what was typed)."""
    raw = (raw or "").strip().replace("，", ".").replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite() or abs(value) >= 10000:
        raise ValueError(raw)
    return value.quantize(Decimal("0.01"))


def item_name(item):
    return f"{item.code} {item.text[:30]}"


def completeness_errors(items, values, vetoes, evidence, *, who="applicant"):
    """Why a sheet cannot be submitted, each message naming its item:
    a veto that applies (applicants only: an inspector records it), a veto
    not declared, a mandatory item left empty, a score over the item's
    points or below zero."""
    errors = []
    for item in items:
        name = item_name(item)
        if item.kind == ItemKind.VETO:
            answer = vetoes.get(item.pk)
            if answer is None:
                errors.append((item, _("Veto item “%(item)s”: say whether it applies.") % {"item": name}))
            elif answer and who == "applicant":
                errors.append((item, _("Veto item “%(item)s” applies: the unit cannot apply for the title.")
                               % {"item": name}))
            continue
        value = values.get(item.pk)
        if value is not None and value > item.max_points:
            errors.append((item, _("“%(item)s”: %(value)s points is more than its %(max)s.")
                           % {"item": name, "value": value, "max": item.max_points}))
        elif value is not None and value < 0:
            errors.append((item, _("“%(item)s”: a score cannot be negative.") % {"item": name}))
        if item.mandatory and (value is None or (who == "applicant" and not (evidence.get(item.pk) or "").strip())):
            errors.append((item, _("Mandatory item “%(item)s” (必备) is not filled in: give its score and evidence.")
                           % {"item": name}))
        elif item.kind == ItemKind.SCORED and value is None and who == "inspector":
            errors.append((item, _("“%(item)s” has no score yet.") % {"item": name}))
    return errors
