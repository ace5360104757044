"""A form described as data: a list of field specs drawn from the palette.

    {"key": "deeds", "type": "long_text", "label": "主要事迹", "help": "",
     "required": true, "public": false, "max_length": 2000}

`problems_of_fields` checks a whole description and names every problem by
its place ("fields[3].choices"), so a district editing a form, or importing
one from another installation, is told exactly what is wrong and nothing is
half-made. `build_form_class` turns a checked description into a form."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .palette import PALETTE

KEY_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")  # used with fullmatch: no trailing newline
COMMON_KEYS = frozenset({"key", "type", "label", "help", "required", "public"})
MAX_FIELDS = 60


def problems_of_fields(fields, *, at="fields"):
    """Every problem of a list of field specs, as (place, message)."""
    if not isinstance(fields, list):
        return [(at, _("The fields must be a list."))]
    if not fields:
        return [(at, _("A form needs at least one field."))]
    if len(fields) > MAX_FIELDS:
        return [(at, _("A form may have at most %(max)s fields.") % {"max": MAX_FIELDS})]
    problems, seen = [], set()
    for i, spec in enumerate(fields):
        place = f"{at}[{i}]"
        if not isinstance(spec, dict):
            problems.append((place, _("A field must be an object with a key, a type and a label.")))
            continue
        key, type_code = spec.get("key"), spec.get("type")
        kind = PALETTE.get(type_code) if isinstance(type_code, str) else None
        if not isinstance(key, str) or not KEY_RE.fullmatch(key):
            problems.append((f"{place}.key", _("A field's key is 1–40 lowercase letters, digits or _, starting "
                                               "with a letter.")))
        elif key in seen:
            problems.append((f"{place}.key", _("Two fields have the key “%(key)s”.") % {"key": key}))
        else:
            seen.add(key)
        if kind is None:
            problems.append((f"{place}.type", _("“%(type)s” is not a kind of field. Kinds: %(kinds)s.")
                             % {"type": str(type_code)[:40], "kinds": ", ".join(PALETTE)}))
            continue
        label = spec.get("label")
        if not isinstance(label, str) or not label.strip() or len(label) > 100:
            problems.append((f"{place}.label", _("Every field needs a label of at most 100 characters.")))
        if not isinstance(spec.get("help", ""), str) or len(spec.get("help", "")) > 500:
            problems.append((f"{place}.help", _("Help text is at most 500 characters.")))
        for flag in ("required", "public"):
            if not isinstance(spec.get(flag, False), bool):
                problems.append((f"{place}.{flag}", _("“%(flag)s” is true or false.") % {"flag": flag}))
        if spec.get("public") and not kind.publishable:
            problems.append((f"{place}.public", _("A %(kind)s is never published on a public notice.")
                             % {"kind": kind.label}))
        unknown = set(spec) - COMMON_KEYS - kind.options
        if unknown:
            problems.append((place, _("Options a %(kind)s does not take: %(options)s.")
                             % {"kind": kind.label, "options": ", ".join(sorted(unknown))}))
        problems.extend((f"{place}.{option}", message) for option, message in kind.check_options(spec))
    # Options naming another field (a date of birth's ID number field) are
    # judged once every field is known.
    specs = {spec["key"]: spec for spec in fields if isinstance(spec, dict) and isinstance(spec.get("key"), str)}
    for i, spec in enumerate(fields):
        kind = PALETTE.get(spec.get("type")) if isinstance(spec, dict) and isinstance(spec.get("type"), str) else None
        if kind is not None:
            problems.extend((f"{at}[{i}].{option}", message) for option, message in kind.check_among(spec, specs))
    return problems


class CrossChecks:
    """The checks of one field's answer against another's (FieldKind.
    cross_check), each said at its own field, after the fields' own."""

    def clean(self):
        cleaned = super().clean()
        for spec in self.field_specs:
            if spec["key"] in self.errors:
                continue
            problem = PALETTE[spec["type"]].cross_check(spec, cleaned)
            if problem:
                self.add_error(spec["key"], problem)
        return cleaned


def build_form_class(fields, *, organisations=None, base=forms.Form):
    """A form class with one field per spec, in order. `organisations` is
    what an organisation field may name (the filler's branch)."""
    attrs = {spec["key"]: PALETTE[spec["type"]].form_field(spec, organisations=organisations) for spec in fields}
    form_class = type("DataForm", (CrossChecks, base), attrs)
    form_class.field_specs = list(fields)
    return form_class


def stored_answers(fields, cleaned_data):
    """The cleaned answers as JSON stores them (files are attachments and
    are left out)."""
    return {spec["key"]: PALETTE[spec["type"]].stored(cleaned_data.get(spec["key"]))
            for spec in fields if spec["type"] != "file"}


def initial_answers(fields, answers):
    """Stored answers as the form of `fields` takes them back: a yes or no
    as the choice it was, an organisation by its id (files are
    attachments: a form never holds them again)."""
    return {spec["key"]: PALETTE[spec["type"]].initial(answers[spec["key"]])
            for spec in fields if spec["type"] != "file" and spec["key"] in answers}


def shown_answers(fields, answers, *, full_identity=False, public_only=False):
    """(label, text) pairs for a case page, a printed form or a public
    notice. ID and mobile numbers are masked unless `full_identity` (the
    caller audits that view); `public_only` keeps what a notice may show."""
    rows = []
    for spec in fields:
        kind = PALETTE[spec["type"]]
        if spec["type"] == "file" or (public_only and not (spec.get("public") and kind.publishable)):
            continue
        rows.append((spec["label"], kind.shown(answers.get(spec["key"]), full=full_identity, spec=spec)))
    return rows
