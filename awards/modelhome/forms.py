"""Forms of the model-home pages. The scoring sheet is the engine's
(workflows.scoring.forms.SheetForm), made from the campaign's standard
version item by item; the views use it from there."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Application, Campaign, StandardVersion


class ApplicationInfoForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["chair_name", "staff_count", "member_count", "satisfaction_surveyed", "satisfaction_satisfied",
                  "deeds"]
        widgets = {"deeds": forms.Textarea(attrs={"rows": 5, "maxlength": 1500})}


class NoticeHoldForm(forms.Form):
    reason = forms.CharField(label=_("Why it is held out of the public notice"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


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
