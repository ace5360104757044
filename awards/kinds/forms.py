"""The kind editor: one form for the kind's settings and one row per field
of its application form. No script is needed: spare empty rows add fields,
a tick removes one, a number orders them. `to_definition` turns the posted
forms into the definition the checks read; `from_definition` fills them
again for editing."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.utils.text import format_lazy

from workflows.dataforms.palette import PALETTE
from workflows.documents.layouts import certificate_layouts
from workflows.documents.uploads import ALLOWED_KINDS
from workflows.models import Sector

from .definition import FORMAT, ROUTE_OPTIONS, SECTORS, route_option, signoff_codes, signoff_entries
from .routes import (ALL_STEPS, APPLICANTS, CHANGES_REQUIRED, DEFAULT_RESUBMISSION_COMMENT, DEFAULT_WITHDRAW_UNTIL,
                     RESUBMISSION_COMMENT, ROUTES, WITHDRAW_UNTIL)

TIMED_STEPS = [s for s in ALL_STEPS if s.timed]
OPTIONAL_STEPS = [s for s in ALL_STEPS if s.optional]
SECTOR_CHOICES = [(value, label) for value, label in Sector.choices if value]


class KindForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40,
                           help_text=_("Letters, digits, - or _; used in file names and links, e.g. youxiu-gongzuozhe."))
    title = forms.CharField(label=_("Title"), max_length=100)
    applicant = forms.ChoiceField(label=_("Who applies"), choices=list(APPLICANTS.items()), widget=forms.RadioSelect)
    route = forms.ChoiceField(label=pgettext_lazy("kind of campaign", "Route"),
                              choices=[(code, r.label) for code, r in ROUTES.items()])
    steps = forms.MultipleChoiceField(
        label=_("Optional steps"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(s.code, s.label) for s in OPTIONAL_STEPS],
        help_text=_("Steps the chosen route may leave out; the others always run."))
    signoffs = forms.MultipleChoiceField(
        label=_("Departments that sign off"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("A department with no sector ticked below signs off every case; with sectors, only the cases "
                    "of those sectors. The sector is the form's “economic sector of the unit” field, or the "
                    "applying union's when it is left blank. A case no department signs off goes on without "
                    "sign-offs."))
    notice_days = forms.IntegerField(label=_("Public notice (working days)"), required=False, min_value=1, max_value=30)
    # Checked with the route (definition.py), so a wrong number is named
    # like every other setting of the route.
    scoring_inspectors = forms.IntegerField(
        label=_("Inspectors who score each case"), required=False,
        help_text=_("With the step “Scoring by assigned inspectors”: how many inspectors the district assigns to "
                    "each case, e.g. 2. The campaign chooses the scoring standard."))
    # Not required: a post without them (an older page) keeps the defaults.
    withdraw_until = forms.ChoiceField(label=_("The union may withdraw a handed-in case"), required=False,
                                       choices=list(WITHDRAW_UNTIL.items()), initial=DEFAULT_WITHDRAW_UNTIL)
    reason_on_refusal = forms.BooleanField(
        label=_("A reason is required for an outcome that does not grant"), required=False)
    resubmission_comment = forms.ChoiceField(
        label=_("Saying what was changed when a returned case is handed in again"),
        choices=list(RESUBMISSION_COMMENT.items()), required=False, initial=DEFAULT_RESUBMISSION_COMMENT)
    unique_person = forms.BooleanField(
        label=_("One active case per person in a campaign"), required=False,
        help_text=_("The same ID number (else the same name under this kind) may not be handed in twice while "
                    "a case of it is under way or granted."))
    outcomes = forms.CharField(
        label=_("Outcomes of the final decision"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: code|label|+ for an outcome that grants, e.g. granted|授予|+ and refused|不予授予."))
    certificate = forms.BooleanField(label=_("Ends in a certificate or plaque"), required=False)
    certificate_layout = forms.ChoiceField(label=_("Layout"), required=False)
    certificate_title = forms.CharField(
        label=_("Certificate title"), required=False, max_length=50,
        help_text=_("May use {year}, filled with the campaign's year, e.g. {year}年度五一劳动奖章."))
    certificate_wording = forms.CharField(
        label=_("Wording"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("May use {name}, {union}, {year}, {title}, {campaign}."))
    certificate_issuer = forms.CharField(label=_("Issuing body"), required=False, max_length=100)
    certificate_number_format = forms.CharField(label=_("Number format"), required=False, max_length=60,
                                                help_text=_("Needs {seq}; may use {year}, e.g. YX{year}-{seq:03d}."))
    approved_list = forms.BooleanField(label=_("Ends in an approved list (PDF and Excel)"), required=False)
    payment_list = forms.BooleanField(label=_("Ends in a payment list (amounts summed per union)"), required=False)
    payment_field = forms.SlugField(
        label=_("Amount paid (key of a money field)"), required=False, max_length=40,
        help_text=_("Needed when the form has several money fields, e.g. an income and the amount asked for."))
    # The fingerprint of the version the editor was opened on (a save over
    # someone else's later change is refused: services.do_revise_kind).
    base = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, departments=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signoffs"].choices = [(d.code, d.name) for d in departments]
        # Per department, the sectors it alone signs off (none ticked: every
        # case), as May Day asks audit of state-owned enterprises only.
        self.signoff_codes = [d.code for d in departments]
        for department in departments:
            self.fields[sectors_field(department.code)] = forms.MultipleChoiceField(
                label=format_lazy(_("{department}: only for these sectors"), department=department.name),
                required=False, widget=forms.CheckboxSelectMultiple, choices=SECTOR_CHOICES)
        self.fields["certificate_layout"].choices = [(layout.key, layout.label) for layout in certificate_layouts()]
        for step in TIMED_STEPS:
            self.fields[f"deadline_{step.code}"] = forms.IntegerField(
                label=step.label, required=False, min_value=1, max_value=60)
        if editing:
            self.fields["code"].disabled = True

    def clean(self):
        data = super().clean()
        chosen = set(data.get("signoffs") or [])
        for code in self.signoff_codes:
            if data.get(sectors_field(code)) and code not in chosen:
                self.add_error(sectors_field(code), _("Tick this department among the departments that sign "
                                                      "off, or clear its sectors."))
        return data

    def signoff_sector_fields(self):
        return [self[sectors_field(code)] for code in self.signoff_codes]

    def deadline_fields(self):
        return [self[f"deadline_{step.code}"] for step in TIMED_STEPS]

    def route_option_fields(self):
        return [self[name] for name in ROUTE_OPTIONS]

    def certificate_fields(self):
        return [self[name] for name in ("certificate_layout", "certificate_title", "certificate_wording",
                                        "certificate_issuer", "certificate_number_format")]


class ChangesForm(forms.Form):
    """What the union says it changed, handing a returned case in again:
    required where the case's version says so (route.resubmission_comment)."""

    comment = forms.CharField(label=pgettext_lazy("resubmission", "What was changed"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = route_option(case.route, "resubmission_comment") == CHANGES_REQUIRED


def sectors_field(code):
    return f"signoff_sectors_{code}"


def _signoff_entry(code, sectors):
    """A department's code alone when it signs off every case (the format
    kinds were first saved in), else with its sectors in the engine's order."""
    if not sectors:
        return code
    return {"department": code, "sectors": [value for value in SECTORS if value in sectors]}


class FieldRowForm(forms.Form):
    order = forms.IntegerField(label=_("Order"), required=False)
    key = forms.CharField(label=_("Key"), max_length=40, required=False)
    type = forms.ChoiceField(label=_("Kind of field"), required=False,
                             choices=[("", "---------")] + [(code, kind.label) for code, kind in PALETTE.items()])
    label = forms.CharField(label=_("Label"), max_length=100, required=False)
    help = forms.CharField(label=_("Help text"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    public = forms.BooleanField(label=_("Published on the notice"), required=False)
    max_length = forms.IntegerField(label=_("Longest answer"), required=False)
    minimum = forms.IntegerField(label=_("Smallest"), required=False)
    maximum = forms.DecimalField(label=_("Largest"), required=False, decimal_places=2, max_digits=12)
    choices = forms.CharField(label=_("Answers"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("One per line: code=label."))
    file_types = forms.MultipleChoiceField(label=_("Kinds of file"), required=False,
                                           choices=[(ext, ext.upper()) for ext in ALLOWED_KINDS],
                                           widget=forms.CheckboxSelectMultiple)
    max_mb = forms.IntegerField(label=_("Largest file (MB)"), required=False)
    multiple = forms.BooleanField(label=_("Several files (a file)"), required=False)
    max_files = forms.IntegerField(label=_("Most files"), required=False,
                                   help_text=_("With several files: how many at most (10 if left blank)."))
    not_future = forms.BooleanField(label=_("Not later than today (a date)"), required=False)
    # The choices are the form's ID number fields (FieldRows sets them).
    matches_id = forms.ChoiceField(label=_("Date of birth in the ID number field (a date)"), required=False,
                                   choices=[("", "---------")])
    landline = forms.BooleanField(label=_("Landline numbers too (a telephone)"), required=False)
    DELETE = forms.BooleanField(label=_("Remove"), required=False)

    def is_blank(self):
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in ("key", "type", "label"))


class FieldRows(forms.BaseFormSet):
    """The rows of the form's fields; a date may be checked against any ID
    number field among them (as posted, or as stored when the editor
    opens), so each row's choice of one lists them."""

    def id_fields(self):
        if self.is_bound:
            rows = [{name: self.data.get(f"{self.add_prefix(i)}-{name}", "") for name in ("key", "type", "label")}
                    for i in range(self.total_form_count())]
        else:
            rows = self.initial or []
        return [(row["key"], f"{row.get('label') or row['key']} ({row['key']})") for row in rows
                if row.get("type") == "id_number" and row.get("key")]

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if not hasattr(self, "_id_choices"):
            self._id_choices = [("", "---------")] + self.id_fields()
        form.fields["matches_id"].choices = self._id_choices
        return form


FieldRowFormSet = forms.formset_factory(FieldRowForm, formset=FieldRows, extra=3, max_num=60)


def _spec_of_row(row):
    spec = {"key": row["key"], "type": row["type"], "label": row["label"]}
    if row.get("help"):
        spec["help"] = row["help"]
    spec["required"] = bool(row.get("required"))
    spec["public"] = bool(row.get("public"))
    kind = row["type"]
    if kind in ("text", "long_text") and row.get("max_length") is not None:
        spec["max_length"] = row["max_length"]
    if kind == "number":
        if row.get("minimum") is not None:
            spec["min"] = row["minimum"]
        if row.get("maximum") is not None:
            spec["max"] = int(row["maximum"]) if row["maximum"] == int(row["maximum"]) else str(row["maximum"])
    if kind == "money" and row.get("maximum") is not None:
        spec["max"] = f"{row['maximum']:.2f}"
    if kind in ("choice", "multiple_choice"):
        spec["choices"] = [
            {"value": value.strip(), "label": label.strip()}
            for value, _sep, label in (line.partition("=") for line in (row.get("choices") or "").splitlines())
            if value.strip() or label.strip()
        ]
    # Options of the palette that are a tick: kept only when ticked, so a
    # kind saved before they existed keeps its fingerprint.
    if kind == "date" and row.get("not_future"):
        spec["not_future"] = True
    if kind == "date" and row.get("matches_id"):
        spec["matches_id"] = row["matches_id"]
    if kind == "mobile" and row.get("landline"):
        spec["landline"] = True
    if kind == "file":
        if row.get("file_types"):
            spec["types"] = list(row["file_types"])
        if row.get("max_mb") is not None:
            spec["max_mb"] = row["max_mb"]
        if row.get("multiple"):
            spec["multiple"] = True
            if row.get("max_files") is not None:
                spec["max_files"] = row["max_files"]
    return spec


def kept_rows(formset):
    """(row number on the page, cleaned data) of the rows that make fields:
    removed and blank rows left out, in the order the numbers give."""
    rows = [(number, form.cleaned_data) for number, form in enumerate(formset.forms, start=1)
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.is_blank()]
    rows.sort(key=lambda pair: (pair[1].get("order") is None, pair[1].get("order") or 0, pair[0]))
    return rows


def to_definition(kind_form, formset):
    """The definition the two bound, valid forms describe (not yet checked
    for sense: problems_of_kind does that)."""
    data = kind_form.cleaned_data
    route = ROUTES[data["route"]]
    rows = [row for _number, row in kept_rows(formset)]
    steps = [s.code for s in route.steps if not s.optional or s.code in data["steps"]]
    outcomes = []
    for line in data["outcomes"].splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        outcomes.append({"value": parts[0], "label": parts[1] if len(parts) > 1 else "",
                         "positive": len(parts) > 2 and parts[2] == "+"})
    certificate = None
    if data["certificate"]:
        certificate = {key: data[f"certificate_{key}"]
                       for key in ("layout", "title", "wording", "issuer", "number_format")}
    return {
        "format": FORMAT,
        "title": data["title"],
        "applicant": data["applicant"],
        "fields": [_spec_of_row(row) for row in rows],
        "route": {
            "template": route.code,
            "steps": steps,
            "signoffs": ([_signoff_entry(code, data.get(sectors_field(code))) for code in data["signoffs"]]
                         if "signoffs" in steps else []),
            **({"scoring": {"inspectors": data["scoring_inspectors"]}} if "scoring" in steps else {}),
            "notice_days": data["notice_days"] or 0 if "notice" in steps else 0,
            "deadline_days": {s.code: data[f"deadline_{s.code}"] for s in TIMED_STEPS
                              if s.code in steps and data.get(f"deadline_{s.code}")},
            "outcomes": outcomes,
            # Only when not the default: a kind saved before keeps its fingerprint.
            **{key: data[key] for key, (_allowed, default) in ROUTE_OPTIONS.items()
               if data.get(key) not in ("", None, default)},
        },
        "ends_in": {"certificate": certificate, "approved_list": data["approved_list"],
                    "payment_list": data["payment_list"],
                    # Only when given: a kind saved before keeps its fingerprint.
                    **({"payment_field": data["payment_field"]} if data["payment_list"] and data["payment_field"]
                       else {})},
    }


def from_definition(code, definition):
    """Initial data for the two forms from a stored definition."""
    route = definition["route"]
    certificate = definition["ends_in"].get("certificate") or {}
    initial = {
        "code": code, "title": definition["title"], "applicant": definition["applicant"],
        "route": route["template"],
        "steps": [code for code in route["steps"] if ROUTES[route["template"]].step(code).optional],
        "signoffs": signoff_codes(route),
        **{sectors_field(code): list(sectors) for code, sectors in signoff_entries(route) if sectors},
        "notice_days": route.get("notice_days") or None,
        "scoring_inspectors": (route.get("scoring") or {}).get("inspectors"),
        **{key: route_option(route, key) for key in ROUTE_OPTIONS},
        "outcomes": "\n".join(f"{o['value']}|{o['label']}" + ("|+" if o.get("positive") else "")
                              for o in route["outcomes"]),
        "certificate": bool(certificate), "approved_list": definition["ends_in"].get("approved_list", False),
        "payment_list": definition["ends_in"].get("payment_list", False),
        "payment_field": definition["ends_in"].get("payment_field", ""),
        **{f"certificate_{key}": certificate.get(key, "") for key in
           ("layout", "title", "wording", "issuer", "number_format")},
        **{f"deadline_{code}": days for code, days in route.get("deadline_days", {}).items()},
    }
    rows = []
    for i, spec in enumerate(definition["fields"], start=1):
        row = {"order": i * 10, "key": spec["key"], "type": spec["type"], "label": spec["label"],
               "help": spec.get("help", ""), "required": spec.get("required", False),
               "public": spec.get("public", False), "max_length": spec.get("max_length"),
               "minimum": spec.get("min"), "maximum": spec.get("max"), "max_mb": spec.get("max_mb"),
               "file_types": spec.get("types", []),
               "not_future": spec.get("not_future", False), "landline": spec.get("landline", False),
               "matches_id": spec.get("matches_id", ""), "multiple": spec.get("multiple", False),
               "max_files": spec.get("max_files"),
               "choices": "\n".join(f"{c['value']}={c['label']}" for c in spec.get("choices", []))}
        rows.append(row)
    return initial, rows
