"""The scoring standards' forms: a revised sheet's upload, and the score
sheet, one form whose fields are made from a standard version item by item.
A typed score is kept as typed (a CharField), parsed in clean, so a bad
entry comes back with the text the clerk typed. The sheet is rendered by
workflows/scoring/_sheet.html with its running totals (static/js/score-totals.js)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.attachments import services as attachment_services
from workflows.attachments.fields import AttachmentField, cleaned_uploads
from workflows.models import ItemKind

from .sheet import parse_points, section_totals


class StandardImportForm(forms.Form):
    file = forms.FileField(label=_("Excel sheet (.xlsx)"))


class InspectorsForm(forms.Form):
    """The district's choice of a case's inspectors: ticks among
    `candidates` (workflows.scoring.inspections.inspector_candidates), and
    the case's version as the page showed it."""

    inspectors = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple,
                                                label=_("Inspectors"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = candidates
        self.fields["inspectors"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


VETO_CHOICES = [("", _("— not answered —")), ("no", _("Does not apply")), ("yes", _("Applies"))]


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

    def typed_values(self):
        """The typed scores that parse ({item id: Decimal or None}), for the
        server's totals on a sheet shown again with what was typed."""
        values = {}
        for item in self.items:
            try:
                values[item.pk] = parse_points(self.data.get(self.add_prefix(f"score_{item.pk}"), ""))
            except ValueError:
                values[item.pk] = None
        return values

    def error_for(self, item, message):
        """Put a refusal naming `item` (Incomplete.errors) on its field."""
        if item is None:
            self.add_error(None, message)
        else:
            self.add_error(f"veto_{item.pk}" if item.kind == ItemKind.VETO else f"score_{item.pk}", message)

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
