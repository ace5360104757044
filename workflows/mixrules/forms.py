"""The form that adds a mix rule: it only collects input, offering the
fields of the process's scheme and their values; services.rule_create
validates and saves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.models import MixComparison


class MixRuleForm(forms.Form):
    label = forms.CharField(label=_("Rule as printed"), max_length=200,
                            help_text=_("e.g. Front-line workers: at least 60 per cent"))
    field = forms.ChoiceField(label=_("Count by"))
    values = forms.MultipleChoiceField(label=_("Counted values"), widget=forms.SelectMultiple(attrs={"size": 8}),
                                       help_text=_("Choose values of the field chosen above."))
    comparison = forms.ChoiceField(label=_("Comparison"), choices=MixComparison.choices)
    percent = forms.DecimalField(label=_("Share (%)"), min_value=0, max_value=100, decimal_places=2)

    def __init__(self, *args, mix_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.mix_fields = {f.name: f for f in mix_fields}
        self.fields["field"].choices = [(f.name, f.label) for f in mix_fields]
        # Grouped by field, so a clerk sees which values belong to which.
        # A value is posted as text (str(True) for "yes"); the service maps
        # it back to what the cases store.
        self.fields["values"].choices = [
            (str(f.label), [(str(value), label) for value, label in f.choices]) for f in mix_fields
        ]

    def applies_to(self):
        """{field: value} the rule is counted among (a process's form may
        offer it); all the campaign's cases by default."""
        return {}

    def clean(self):
        data = super().clean()
        field, values = self.mix_fields.get(data.get("field")), data.get("values")
        if field is not None and values:
            allowed = {str(value) for value, _label in field.choices}
            if any(v not in allowed for v in values):
                self.add_error("values", _("Choose values of the field chosen above."))
        return data
