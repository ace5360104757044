"""Forms of the model-home pages. The scoring sheet is one form whose
fields are made from the campaign's standard version, item by item; a
typed score is kept as typed (a CharField), parsed in clean, so a bad entry
comes back with the text the clerk typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.attachments import services as attachment_services
from workflows.attachments.fields import AttachmentField, cleaned_uploads

from .models import Application, Campaign, ItemKind, StandardVersion, TitleStatus
from .scoring import parse_points, section_totals

VETO_CHOICES = [("", _("— not answered —")), ("no", _("Does not apply")), ("yes", _("Applies"))]


class ApplicationInfoForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["chair_name", "staff_count", "member_count", "satisfaction_surveyed", "satisfaction_satisfied",
                  "deeds"]
        widgets = {"deeds": forms.Textarea(attrs={"rows": 5, "maxlength": 1500})}


class SheetForm(forms.Form):
    """Applicant mode: score, evidence text and a file per item, yes/no per
    veto item. Inspector mode: score, a note, yes/no per veto item."""

    def __init__(self, *args, items, inspector=False, initial_rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.inspector = inspector
        initial_rows = initial_rows or {}
        for item in self.items:
            row = initial_rows.get(item.pk)
            attrs = {"inputmode": "decimal", "class": "score", "data-kind": item.kind,
                     "data-max": str(item.max_points), "data-section": str(item.section_id), "autocomplete": "off"}
            if item.kind == ItemKind.VETO:
                self.fields[f"veto_{item.pk}"] = forms.ChoiceField(
                    choices=VETO_CHOICES, required=False, label=item.text,
                    initial=("" if row is None or row.veto_applies is None else ("yes" if row.veto_applies else "no")),
                )
            else:
                self.fields[f"score_{item.pk}"] = forms.CharField(
                    required=False, max_length=12, label=_("Score"), widget=forms.TextInput(attrs=attrs),
                    initial=("" if row is None or row.score is None else f"{row.score.normalize():f}"),
                )
            note_initial = "" if row is None else (row.note if inspector else row.evidence)
            self.fields[f"evidence_{item.pk}"] = forms.CharField(
                required=False, max_length=300 if inspector else 2000,
                label=_("Note") if inspector else _("Evidence"),
                widget=forms.Textarea(attrs={"rows": 2}), initial=note_initial,
            )
            if not inspector:
                self.fields[f"file_{item.pk}"] = AttachmentField(required=False, label=_("Attach a file"))

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            name = f"score_{item.pk}"
            if name in self.fields:
                try:
                    cleaned[name] = parse_points(self.data.get(self.add_prefix(name), ""))
                except ValueError:
                    self.add_error(name, _("“%(item)s”: write a number of points, e.g. 3 or 2.5.") % {"item": item.code})
        return cleaned

    def answers(self):
        result = {}
        for item in self.items:
            veto = self.cleaned_data.get(f"veto_{item.pk}")
            result[item.pk] = {
                "score": self.cleaned_data.get(f"score_{item.pk}"),
                "veto": {"yes": True, "no": False}.get(veto),
                "evidence": self.cleaned_data.get(f"evidence_{item.pk}", ""),
            }
        return result

    def uploads(self):
        """Unsaved attachments of the files chosen (checked by size and
        content in the fields' clean), each marked with its item."""
        return [attachment_services.from_upload(upload, kind=item.pk) for item in self.items
                for upload in cleaned_uploads(self, f"file_{item.pk}")]

    def held_kinds(self, attachments):
        """Held attachments (workflows.attachments.held.take) marked with
        the item of the field they were chosen in."""
        known = {f"file_{item.pk}": str(item.pk) for item in self.items}
        for attachment in attachments:
            attachment.kind = known.get(getattr(attachment, "held_field", ""), "")
        return attachments

    def sections(self, values, own=None):
        """Sections with their rows (item, its bound fields) and the server's
        totals of `values` (the saved scores, or the typed ones when valid);
        `own`: the unit's self-assessment {item id: ItemAnswer}, shown beside
        each item on an inspector's sheet."""
        result = []
        for group in section_totals(self.items, values):
            rows = []
            for item, _value in group.rows:
                fields = {key: self[f"{key}_{item.pk}"] for key in ("score", "veto", "evidence", "file")
                          if f"{key}_{item.pk}" in self.fields}
                rows.append({"item": item, **fields, "own": (own or {}).get(item.pk)})
            result.append({"section": group.section, "total": group.total, "max": group.max_points, "rows": rows})
        return result


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


class StandardImportForm(forms.Form):
    file = forms.FileField(label=_("Excel sheet (.xlsx)"))


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
