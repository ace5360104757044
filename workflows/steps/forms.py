"""The form that hands a step to one person."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from workflows.organisations.forms import UserChoiceField



class ReassignForm(forms.Form):
    to_user = UserChoiceField(label=_("Give the step to"), queryset=get_user_model().objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=1000)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = candidates

