"""Forms of the model-home pages. The application is the engine's scoring
sheet (workflows.scoring.forms.SheetForm), made from the campaign's
standard version item by item, with the union's figures beside it, drawn
on the engine's case form page (workflows.cases.case_form_page)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.scoring.forms import SheetForm
from workflows.scoring.sheet import total_of

from .models import Application, Campaign, StandardVersion


class ApplicationInfoForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["chair_name", "staff_count", "member_count", "satisfaction_surveyed", "satisfaction_satisfied",
                  "deeds"]
        widgets = {"deeds": forms.Textarea(attrs={"rows": 5, "maxlength": 1500})}


class ApplicationForm(SheetForm):
    """The unit's sheet, item by item with a file each, and the union's
    figures (`info`, saved on the application); a new application of a
    user with several units says which unit applies (`units`)."""

    def __init__(self, data=None, files=None, *, application, units=()):
        rows = {a.item_id: a for a in application.answers.all()} if application.pk else {}
        super().__init__(data, files, items=application.campaign.standard_version.ordered_items(),
                         initial_rows=rows)
        self.saved = {item_id: answer.score for item_id, answer in rows.items()}
        self.info = ApplicationInfoForm(data, instance=application)
        if len(units) > 1:
            self.fields["unit"] = forms.ChoiceField(label=_("Applying unit"), initial=application.organisation_id,
                                                    choices=[(u.pk, u.name) for u in units])

    def is_valid(self):
        info_valid = self.info.is_valid()
        return super().is_valid() and info_valid

    def sections(self):
        return [(None, [self["unit"]] if "unit" in self.fields else [], None),
                (_("The union and its members"), list(self.info), "modelhome/_rates.html"),
                (None, [], "workflows/scoring/_sheet.html"),
                (None, [], "workflows/pages/_case_form_attachments.html")]

    def sheet(self, posted):
        """What the sheet part draws: its sections and total, of the scores
        typed when `posted`, else of those saved."""
        values = self.typed_values() if posted else self.saved
        return {"sections": SheetForm.sections(self, values), "total": total_of(self.items, values),
                "version": self.info.instance.campaign.standard_version}


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
