"""Forms of the congress reports. A report's form is built from its kind's
schema (the kind's fields only, never state or actor fields); every field
is optional here, because a draft keeps whatever is typed: completeness is
the submit service's check (schema.completeness_errors)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.models import Sector
from workflows.attachments import services as attachment_services
from workflows.attachments.fields import AttachmentField, cleaned_uploads
from workflows.documents.xlsx_upload import XlsxField

from .models import FACT_FIELDS, OrganisationFacts, Period, ReportKind
from .schema import from_json, item_rows, to_json

EXTRA_ITEM_ROWS = 3


def _number_messages(label):
    return {
        "invalid": _("“%(field)s” is not a number.") % {"field": label},
        "min_value": _("“%(field)s” cannot be negative.") % {"field": label},
        "max_digits": _("“%(field)s” is too large.") % {"field": label},
        "max_decimal_places": _("“%(field)s” has at most two decimals (fen).") % {"field": label},
        "max_whole_digits": _("“%(field)s” is too large.") % {"field": label},
    }


def schema_field(spec):
    label, ftype = spec.get("label", spec["name"]), spec.get("type", "text")
    common = {"label": label, "required": False, "help_text": spec.get("help", "")}
    if ftype == "decimal":
        return forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, error_messages=_number_messages(label),
                                  widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
                                  **common)
    if ftype == "integer":
        return forms.IntegerField(min_value=0, max_value=1_000_000, error_messages=_number_messages(label),
                                  widget=forms.NumberInput(attrs={"min": "0", "inputmode": "numeric"}), **common)
    if ftype == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               error_messages={"invalid": _("“%(field)s” is not a date (YYYY-MM-DD).") % {"field": label}},
                               **common)
    if ftype == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=10000, **common)
    return forms.CharField(max_length=500, **common)


class ReportForm(forms.Form):
    """The kind's scalar fields; items are formsets beside it."""

    def __init__(self, kind, *args, report=None, **kwargs):
        self.kind = kind
        if report is not None and "initial" not in kwargs:
            kwargs["initial"] = {f["name"]: from_json(f.get("type"), report.data.get(f["name"])) for f in kind.schema}
        super().__init__(*args, **kwargs)
        for spec in kind.schema:
            if spec.get("type") != "items":
                self.fields[spec["name"]] = schema_field(spec)
        for slot in kind.attachments:
            # Checked by size and content in the field's clean, before disk.
            self.fields[f"file_{slot['name']}"] = AttachmentField(label=slot.get("label", slot["name"]), required=False)

    def data_for_report(self):
        types = {f["name"]: f.get("type", "text") for f in self.kind.schema}
        return {name: to_json(types[name], self.cleaned_data.get(name)) for name in types if types[name] != "items"}

    def uploads(self):
        """Unsaved attachments of the files chosen, each marked with its slot."""
        return [attachment_services.from_upload(upload, kind=slot["name"]) for slot in self.kind.attachments
                for upload in cleaned_uploads(self, f"file_{slot['name']}")]

    def held_kinds(self, attachments):
        """Held attachments (workflows.attachments.held.take) marked with
        the slot of the field they were chosen in; a field the kind no
        longer has leaves its file out."""
        known = {f"file_{slot['name']}": slot["name"] for slot in self.kind.attachments}
        kept = [a for a in attachments if getattr(a, "held_field", "") in known]
        for attachment in kept:
            attachment.kind = known[attachment.held_field]
        return kept


class ItemForm(forms.Form):
    item = forms.CharField(label=gettext_lazy("Item"), max_length=200, required=False)
    amount = forms.DecimalField(label=gettext_lazy("Amount (yuan)"), required=False, min_value=0, max_digits=14,
                                decimal_places=2,
                                widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args, field_label="", **kwargs):
        super().__init__(*args, **kwargs)
        label = f"{field_label} · {_('Amount (yuan)')}"
        self.fields["amount"].error_messages.update(_number_messages(label))


ItemFormSet = forms.formset_factory(ItemForm, extra=EXTRA_ITEM_ROWS, max_num=200)


def item_formsets(kind, data=None, report=None):
    """{field name: (spec, formset)} for the kind's items fields."""
    formsets = {}
    for spec in kind.schema:
        if spec.get("type") != "items":
            continue
        initial = None
        if report is not None and data is None:
            initial = item_rows(report.data, spec["name"])
        formsets[spec["name"]] = (spec, ItemFormSet(
            data, prefix=spec["name"], initial=initial,
            form_kwargs={"field_label": spec.get("label", spec["name"])},
        ))
    return formsets


def items_from(formset):
    rows = []
    for row in formset.cleaned_data:
        if not row or all(row.get(k) in (None, "") for k in ("item", "amount", "note")):
            continue
        rows.append({"item": row.get("item") or "", "amount": to_json("decimal", row.get("amount")),
                     "note": row.get("note") or ""})
    return rows


SECTOR_CHOICES = [(value, label) for value, label in Sector.choices if value]


class PeriodForm(forms.Form):
    kind = forms.ModelChoiceField(label=gettext_lazy("Report kind"), queryset=ReportKind.objects.all())
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(label=gettext_lazy("Half-year"), required=False, coerce=int, empty_value=None,
                                  choices=[("", "—"), (1, gettext_lazy("First half")), (2, gettext_lazy("Second half"))],
                                  help_text=gettext_lazy("Only for half-yearly reports."))
    sectors = forms.MultipleChoiceField(label=gettext_lazy("Sectors"), choices=SECTOR_CHOICES,
                                        widget=forms.CheckboxSelectMultiple)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind and kind.period == Period.HALF_YEAR and cleaned.get("half") not in (1, 2):
            self.add_error("half", _("“Half-year”: choose the first or the second half for a half-yearly report."))
        return cleaned


class FactsForm(forms.ModelForm):
    class Meta:
        model = OrganisationFacts
        fields = FACT_FIELDS
        widgets = {"democratic_evaluation_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_union_founded_year(self):
        year = self.cleaned_data.get("union_founded_year")
        if year is not None and not 1900 <= year <= 2100:
            raise ValidationError(_("“Year the union was founded” must be a year such as 2024."))
        return year


class FactsImportForm(forms.Form):
    # Facts are kept per year: the sheet states the facts of this year.
    year = forms.IntegerField(label=gettext_lazy("Facts of the year"), min_value=2000, max_value=2100,
                              required=False)
    file = XlsxField(label=gettext_lazy("Excel workbook (.xlsx)"))
