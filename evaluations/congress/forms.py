"""Forms of the congress reports. A report's form is its kind's fields
(the engine's data-described form, workflows.dataforms) with the kind's
attachment slots; every field is optional here, because a draft keeps
whatever is typed: completeness is the submit service's check
(workflows.dataforms.completeness, run by hooks.check_complete)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.models import Sector
from workflows.attachments import services as attachment_services
from workflows.attachments.fields import AttachmentField, cleaned_uploads
from workflows.dataforms.completeness import draft_form_class
from workflows.dataforms.definition import initial_answers, stored_answers

from .models import Period, ReportKind


class _ReportFormBase(forms.Form):
    def __init__(self, kind, *args, report=None, **kwargs):
        self.kind = kind
        if report is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_answers(kind.fields, report.data)
        super().__init__(*args, **kwargs)
        for slot in kind.attachments:
            # Checked by size and content in the field's clean, before disk.
            self.fields[f"file_{slot['name']}"] = AttachmentField(label=slot.get("label", slot["name"]), required=False)

    def data_for_report(self):
        return stored_answers(self.kind.fields, self.cleaned_data)

    def uploads(self):
        """Unsaved attachments of the files chosen, each marked with its slot."""
        return [attachment_services.from_upload(upload, kind=slot["name"]) for slot in self.kind.attachments
                for upload in cleaned_uploads(self, f"file_{slot['name']}")]

    def held_kinds(self, attachments):
        """Held attachments (workflows.attachments.held.take) marked with
        the slot of the field they were chosen in; a field the kind no
        longer has leaves its file out."""
        known = {f"file_{slot['name']}": slot["name"] for slot in self.kind.attachments}
        kept = [a for a in attachments if getattr(a, "held_field", "") in known]
        for attachment in kept:
            attachment.kind = known[attachment.held_field]
        return kept


def report_form(kind, *args, **kwargs):
    """The form of a report of `kind` (its fields, then its attachments)."""
    return draft_form_class(kind.fields, base=_ReportFormBase)(kind, *args, **kwargs)


SECTOR_CHOICES = [(value, label) for value, label in Sector.choices if value]


class PeriodForm(forms.Form):
    kind = forms.ModelChoiceField(label=gettext_lazy("Report kind"), queryset=ReportKind.objects.all())
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(label=gettext_lazy("Half-year"), required=False, coerce=int, empty_value=None,
                                  choices=[("", "—"), (1, gettext_lazy("First half")), (2, gettext_lazy("Second half"))],
                                  help_text=gettext_lazy("Only for half-yearly reports."))
    sectors = forms.MultipleChoiceField(label=gettext_lazy("Sectors"), choices=SECTOR_CHOICES,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, district, **kwargs):
        self.district = district
        super().__init__(*args, **kwargs)

    def sections(self):
        """The form on the engine's set-up page (workflows.cases.setup), under what opening does."""
        return [("", _("Every grassroots union of the chosen sectors under %(district)s gets its report to fill in, "
                       "due the number of working days the report kind sets after the period ends.")
                 % {"district": self.district.name}, list(self), "")]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind and kind.period == Period.HALF_YEAR and cleaned.get("half") not in (1, 2):
            self.add_error("half", _("“Half-year”: choose the first or the second half for a half-yearly report."))
        return cleaned
