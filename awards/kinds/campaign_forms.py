"""Forms of the campaigns of kinds: opening a campaign, and the frame of an
application (the union and the applicant's name) around the version's own
fields (`workflows.dataforms.build_form_class`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CampaignKind


class CampaignOpenForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Kind of campaign"), queryset=CampaignKind.objects.none(),
                                  empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    deadline = forms.DateField(label=_("Submission deadline"),
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds

    def clean(self):
        cleaned = super().clean()
        kind, year, deadline = cleaned.get("kind"), cleaned.get("year"), cleaned.get("deadline")
        if kind is not None and kind.current_version is None:
            self.add_error("kind", _("This kind has no version yet."))
        if year and deadline and deadline.year < year:
            self.add_error("deadline", _("The submission deadline must fall in or after the campaign's year."))
        return cleaned


class CaseFrameForm(forms.Form):
    """Who the case is for; the version's fields come in a form of their own."""

    organisation = forms.ModelChoiceField(label=_("Union"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Applicant or candidate"), max_length=100)

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, prefix="case", **kwargs)
        self.fields["organisation"].queryset = unions
