"""The form of a department's sign-off opinion on a case (the page is
views.signoff_page): agree, or refuse with a reason. The process says what
a refusal stops and where the reason is shown; the fields are listed
explicitly."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SignoffForm(forms.Form):
    agreed = forms.TypedChoiceField(label=_("Opinion"), coerce=lambda v: v == "1", widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Opinion text"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, refuse_label, refuse_help, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed"].choices = [("1", _("Agree: no objection from this department")), ("0", refuse_label)]
        self.fields["comment"].help_text = refuse_help
