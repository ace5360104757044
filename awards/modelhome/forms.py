"""Forms of the model-home pages. The scoring sheet is the engine's
(workflows.scoring.forms.SheetForm), made from the campaign's standard
version item by item; the views use it from there."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Application, Campaign, StandardVersion, TitleStatus


class ApplicationInfoForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["chair_name", "staff_count", "member_count", "satisfaction_surveyed", "satisfaction_satisfied",
                  "deeds"]
        widgets = {"deeds": forms.Textarea(attrs={"rows": 5, "maxlength": 1500})}


class AssignForm(forms.Form):
    inspectors = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple,
                                                label=_("Inspectors"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = candidates
        self.fields["inspectors"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class RescoreForm(forms.Form):
    """The district asks one inspector who has submitted to score again."""

    inspection = forms.ModelChoiceField(queryset=None, label=_("Inspector to re-score"))
    reason = forms.CharField(label=_("Why (the inspector reads it)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, inspections, **kwargs):
        super().__init__(*args, prefix="rescore", **kwargs)
        self.fields["inspection"].queryset = inspections
        self.fields["inspection"].label_from_instance = (
            lambda i: i.inspector.get_full_name() or i.inspector.get_username())


class ThirdInspectorForm(forms.Form):
    """The district names one more inspector."""

    inspector = forms.ModelChoiceField(queryset=None, label=_("Third inspector"))
    reason = forms.CharField(label=_("Why (the inspector reads it)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, prefix="third", **kwargs)
        self.fields["inspector"].queryset = candidates
        self.fields["inspector"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class NoticeHoldForm(forms.Form):
    reason = forms.CharField(label=_("Why it is held out of the public notice"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class TitleFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + TitleStatus.choices)
    due_before = forms.DateField(label=_("Due for re-inspection by"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("Holder"), required=False, max_length=100)


class CampaignOpenForm(forms.ModelForm):
    """A new campaign: the district's own standards' versions to choose
    from (the newest first); the code must be new."""

    class Meta:
        model = Campaign
        fields = ["code", "year", "title", "standard_version", "notice_days", "term_years", "disagreement_points",
                  "certificate_number_format"]

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        versions = StandardVersion.objects.filter(standard__district=district).select_related("standard")
        self.fields["standard_version"].queryset = versions.order_by("standard__code", "-number")
        self.fields["standard_version"].empty_label = None
        self.fields["title"].widget.attrs["maxlength"] = 200

    def clean_certificate_number_format(self):
        value = self.cleaned_data["certificate_number_format"]
        try:
            value.format(year=2024, seq=1)
        except (KeyError, IndexError, ValueError):
            raise forms.ValidationError(_("Use {year} and {seq} only, e.g. 模家〔{year}〕第{seq:03d}号."))
        return value
