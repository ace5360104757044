"""Forms of the May Day award's engine pages: sign-off opinions, bulk
decisions, shared quotas. Fields listed explicitly; no state or actor."""

import re

from django import forms
from django.core.exceptions import ValidationError
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


ITEM_RE = re.compile(r"^(\d+):(\d+)$")


class BulkDecisionForm(forms.Form):
    """The inbox's rows carry "pk:version" of each chosen case."""

    action = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return for revision"))])
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


class QuotaShareForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Grassroots union"), queryset=None)
    kind = forms.ChoiceField(label=_("Award"), choices=AwardKind.choices)
    count = forms.IntegerField(label=_("Places"), min_value=0, max_value=999)

    def __init__(self, *args, organisations, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["kind"].choices = [(k, AwardKind(k).label) for k in kinds]
