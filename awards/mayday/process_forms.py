"""The form of a department's sign-off opinion on a nomination (the page is
the engine's, workflows.signoffs.views). Fields listed explicitly."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
