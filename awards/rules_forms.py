"""Forms of the campaign's rules page: the places per intermediate union and
the mix rules. They only collect input; awards.quotas validates and saves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.models import MixComparison

from awards.mayday.models import AwardKind, Nomination
from awards.quotas import MIX_RULE_FIELDS


def _field_label(name):
    return str(Nomination._meta.get_field(name).verbose_name)


class MixRuleForm(forms.Form):
    label = forms.CharField(label=_("Rule as printed"), max_length=200,
                            help_text=_("e.g. Front-line workers: at least 60 per cent of the medals"))
    field = forms.ChoiceField(label=_("Count by"))
    values = forms.MultipleChoiceField(label=_("Counted values"), widget=forms.SelectMultiple(attrs={"size": 8}),
                                       help_text=_("Choose values of the field chosen above."))
    comparison = forms.ChoiceField(label=_("Comparison"), choices=MixComparison.choices)
    percent = forms.DecimalField(label=_("Share (%)"), min_value=0, max_value=100, decimal_places=2)
    applies_to_kind = forms.ChoiceField(label=_("Counted among"), required=False,
                                        choices=[("", _("All awards"))] + list(AwardKind.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [(name, _field_label(name)) for name in MIX_RULE_FIELDS]
        # Grouped by field, so a clerk sees which values belong to which.
        self.fields["values"].choices = [
            (_field_label(name), [(str(v), label) for v, label in Nomination._meta.get_field(name).flatchoices if v])
            for name in MIX_RULE_FIELDS
        ]

    def applies_to(self):
        kind = self.cleaned_data.get("applies_to_kind")
        return {"kind": kind} if kind else {}
