"""A kind of field of the palette: a list of items with amounts that add up
to a total (an expense report's spending, a budget's lines). Each row is an
item, an amount in yuan (two decimals, kept as a string like Money) and a
note; empty rows are dropped.

The rows are posted as a formset would post them (`<key>-TOTAL_FORMS`,
`<key>-<n>-item`, `-amount`, `-note`), so a page (or a test) that posted
a formset of rows posts the same to this field, and a page offers a few
empty rows more than it holds: saving gives more."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .palette import FieldKind, _decimal

ROW_KEYS = ("item", "amount", "note")
EXTRA_ROWS = 3
MAX_ROWS = 200


def filled_rows(rows):
    """The rows that hold anything."""
    return [row for row in (rows or []) if isinstance(row, dict)
            and any(str(row.get(k) or "").strip() for k in ROW_KEYS)]


def rows_total(rows):
    return sum((_decimal(row.get("amount")) or Decimal(0) for row in filled_rows(rows)), Decimal(0))


def number_messages(label):
    """A number field's errors naming the field (a long form's errors are
    read far from the field they belong to)."""
    return {
        "invalid": _("“%(field)s” is not a number.") % {"field": label},
        "min_value": _("“%(field)s” cannot be negative.") % {"field": label},
        "max_value": _("“%(field)s” is too large.") % {"field": label},
        "max_digits": _("“%(field)s” is too large.") % {"field": label},
        "max_decimal_places": _("“%(field)s” has at most two decimals (fen).") % {"field": label},
        "max_whole_digits": _("“%(field)s” is too large.") % {"field": label},
    }


class ItemsWidget(forms.Widget):
    template = "workflows/dataforms/items_widget.html"

    def value_from_datadict(self, data, files, name):
        try:
            count = int(data.get(f"{name}-TOTAL_FORMS", 0))
        except (TypeError, ValueError):
            count = 0  # like any field not sent: no answer
        return [{k: data.get(f"{name}-{n}-{k}", "") for k in ROW_KEYS} for n in range(max(0, min(count, MAX_ROWS)))]

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-TOTAL_FORMS" not in data

    def render(self, name, value, attrs=None, renderer=None):
        rows = filled_rows(value) + [{}] * EXTRA_ROWS
        return render_to_string(self.template, {"name": name, "rows": rows, "count": len(rows),
                                                "max_rows": MAX_ROWS})


class ItemsField(forms.Field):
    widget = ItemsWidget

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.item = forms.CharField(max_length=200, required=False)
        self.note = forms.CharField(max_length=500, required=False)
        self.amount = forms.DecimalField(required=False, min_value=0, max_digits=14, decimal_places=2,
                                         error_messages=number_messages(f"{self.label} · {_('Amount (yuan)')}"))

    def clean(self, value):
        rows, errors = [], []
        for raw in filled_rows(value):
            try:
                amount = self.amount.clean(raw.get("amount"))
                rows.append({"item": self.item.clean(raw.get("item")),
                             "amount": None if amount is None else f"{amount:.2f}",
                             "note": self.note.clean(raw.get("note"))})
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        if self.required and not rows:
            raise ValidationError(self.error_messages["required"], code="required")
        return rows


class Items(FieldKind):
    code, label = "items", gettext_lazy("Items adding up to a total")

    def form_field(self, spec, *, organisations=None):
        return ItemsField(**self._common(spec))

    def stored(self, value):
        return list(value or [])

    def shown(self, value, *, full=False, spec=None):
        rows = filled_rows(value)
        if not rows:
            return ""
        lines = ["; ".join(f"{k}: {v}" for k, v in row.items() if v not in (None, "")) for row in rows]
        return "\n".join(lines + [f"{_('Total')}: {rows_total(rows):.2f}"])
