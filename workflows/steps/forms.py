"""The form that hands a step to one person."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from workflows.organisations.forms import UserChoiceField



class ReassignForm(forms.Form):
    to_user = UserChoiceField(label=_("Give the step to"), queryset=get_user_model().objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=1000)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = candidates


ITEM_RE = re.compile(r"^(\d+):(\d+)$")


class BulkDecisionForm(forms.Form):
    """The inbox's rows carry "pk:version" of each chosen case."""

    action = forms.CharField(max_length=40)
    step = forms.CharField(max_length=300, required=False)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.raw_items = data.getlist("items") if data is not None else []

    def clean(self):
        data = super().clean()
        items = []
        for raw in self.raw_items:
            match = ITEM_RE.match(raw)
            if not match:
                raise ValidationError(_("The page was out of date. Reload it and decide again."))
            items.append((int(match.group(1)), int(match.group(2))))
        if not items:
            raise ValidationError(_("Tick at least one case."))
        if len(items) > 100:
            raise ValidationError(_("Decide on at most 100 cases at once."))
        data["items"] = items
        return data
