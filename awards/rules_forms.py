"""Forms of the campaign's rules page: the mix rules. The form is the
engine's (workflows.mixrules.forms), offered May Day's fields, with the
award a rule is counted among. It only collects input; awards.quotas
validates and saves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.mixrules.forms import MixRuleForm as EngineMixRuleForm

from awards.mayday.models import AwardKind
from awards.quotas import mix_fields


class MixRuleForm(EngineMixRuleForm):
    applies_to_kind = forms.ChoiceField(label=_("Counted among"), required=False,
                                        choices=[("", _("All awards"))] + list(AwardKind.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, mix_fields=mix_fields(), **kwargs)
        self.fields["label"].help_text = _("e.g. Front-line workers: at least 60 per cent of the medals")

    def applies_to(self):
        kind = self.cleaned_data.get("applies_to_kind")
        return {"kind": kind} if kind else {}
