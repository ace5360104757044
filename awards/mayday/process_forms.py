"""Forms of the May Day award's engine pages: sign-off opinions, bulk
shared quotas. Fields listed explicitly; no state or actor."""

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.mayday.models import AwardKind


class SignoffForm(forms.Form):
    agreed = forms.TypedChoiceField(
        label=_("Opinion"),
        choices=[("1", _("Agree: no objection from this department")), ("0", _("Refuse: the nomination stops"))],
        coerce=lambda v: v == "1", widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Opinion text"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when refusing: the reason is shown on the nomination."),
    )


class QuotaShareForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Grassroots union"), queryset=None)
    kind = forms.ChoiceField(label=_("Award"), choices=AwardKind.choices)
    count = forms.IntegerField(label=_("Places"), min_value=0, max_value=999)

    def __init__(self, *args, organisations, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["kind"].choices = [(k, AwardKind(k).label) for k in kinds]
