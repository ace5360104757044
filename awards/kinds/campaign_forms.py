"""Forms of the campaigns of kinds: opening a campaign, and the frame of an
application (the union and the applicant's name) around the version's own
fields (`workflows.dataforms.build_form_class`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.models import StandardVersion

from .models import CampaignKind
from .scoring import inspectors_needed


class CampaignOpenForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Kind of campaign"), queryset=CampaignKind.objects.none(),
                                  empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    deadline = forms.DateField(label=_("Submission deadline"),
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    standard_version = forms.ModelChoiceField(
        label=_("Scoring standard"), queryset=StandardVersion.objects.none(), required=False,
        help_text=_("For a kind whose route has scoring by inspectors: the version of the district's scoring "
                    "standard they score against (it no longer changes once used)."))

    def __init__(self, *args, kinds, standards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds
        if standards is not None:
            self.fields["standard_version"].queryset = standards

    def clean(self):
        cleaned = super().clean()
        kind, year, deadline = cleaned.get("kind"), cleaned.get("year"), cleaned.get("deadline")
        if kind is not None and kind.current_version is None:
            self.add_error("kind", _("This kind has no version yet."))
        elif kind is not None and inspectors_needed(kind.current_version) and not cleaned.get("standard_version"):
            self.add_error("standard_version", _("This kind's route has scoring: choose the scoring standard."))
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
