"""The palette a district draws a form's fields from. Each kind of field
knows which options it takes, how to check them, the Django form field it
becomes, how its value is stored (JSON) and shown, and whether a public
notice may ever publish it.

Invariants: resident ID numbers, mobile numbers and files are never
published; an ID number is shown masked unless the reader's job needs the
whole number (the caller decides and audits that view)."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflows.attachments.fields import AttachmentField, MultipleAttachmentField
from workflows.documents.uploads import ALLOWED_KINDS

from .identity import (
    id_number_birth_date,
    masked_id_number,
    masked_mobile,
    validate_id_number,
    validate_mobile,
    validate_phone,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The largest file a form may allow, in MB; the site's own limit still applies.
MAX_FILE_MB = 50
# How many files one field of several files may take at most, and by default.
MAX_FILES, DEFAULT_MAX_FILES = 30, 10


class FieldKind:
    code = ""
    label = ""
    options = frozenset()
    publishable = True

    def check_options(self, spec):
        """Problems with the kind's own options, as (option, message)."""
        return []

    def check_among(self, spec, specs):
        """Problems of options that name another field of the same form
        (`specs`: {key: spec}), as (option, message)."""
        return []

    def cross_check(self, spec, cleaned):
        """A problem of this field's answer against another field's answer
        in the same form (`cleaned`: the form's cleaned data), or None."""
        return None

    def form_field(self, spec, *, organisations=None):
        raise NotImplementedError

    def stored(self, value):
        """The cleaned value as JSON stores it."""
        return value

    def shown(self, value, *, full=False, spec=None):
        if value in (None, "", []):
            return ""
        return str(value)

    def initial(self, value):
        """The stored value as the form field takes it back (a form opened
        again on answers given before)."""
        return value

    def _common(self, spec):
        return {"label": spec["label"], "help_text": spec.get("help", ""), "required": bool(spec.get("required"))}


class ShortText(FieldKind):
    code, label, options = "text", _("Short text"), frozenset({"max_length"})
    default_max = 200

    def check_options(self, spec):
        limit = spec.get("max_length", self.default_max)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 2000:
            return [("max_length", _("The longest answer must be a whole number from 1 to 2000."))]
        return []

    def form_field(self, spec, *, organisations=None):
        return forms.CharField(max_length=spec.get("max_length", self.default_max), **self._common(spec))


class LongText(ShortText):
    code, label = "long_text", _("Long text")
    default_max = 2000

    def check_options(self, spec):
        limit = spec.get("max_length", self.default_max)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 20000:
            return [("max_length", _("The longest answer must be a whole number from 1 to 20000."))]
        return []

    def form_field(self, spec, *, organisations=None):
        return forms.CharField(max_length=spec.get("max_length", self.default_max), widget=forms.Textarea(attrs={"rows": 5}),
                               **self._common(spec))


class Number(FieldKind):
    # Not the shared "Number" (编号, a certificate's or an item's number).
    code, label, options = "number", pgettext_lazy("kind of field", "Number"), frozenset({"min", "max"})

    def check_options(self, spec):
        low, high = spec.get("min"), spec.get("max")
        problems = [(name, _("A limit must be a whole number.")) for name, value in (("min", low), ("max", high))
                    if value is not None and (isinstance(value, bool) or not isinstance(value, int))]
        if not problems and low is not None and high is not None and low > high:
            problems.append(("max", _("The largest value is below the smallest.")))
        return problems

    def form_field(self, spec, *, organisations=None):
        return forms.IntegerField(min_value=spec.get("min"), max_value=spec.get("max"), **self._common(spec))


class Money(FieldKind):
    """Yuan with two decimals; stored as a string so that no float ever
    rounds an amount on a payment list."""

    code, label, options = "money", _("Amount (yuan)"), frozenset({"max"})

    def check_options(self, spec):
        high = spec.get("max")
        if high is not None and (not isinstance(high, (int, str)) or _decimal(high) is None or _decimal(high) <= 0):
            return [("max", _("The largest amount must be a positive number of yuan."))]
        return []

    def form_field(self, spec, *, organisations=None):
        high = spec.get("max")
        return forms.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"),
                                  max_value=_decimal(high) if high is not None else None, **self._common(spec))

    def stored(self, value):
        return None if value is None else f"{value:.2f}"

    def shown(self, value, *, full=False, spec=None):
        return "" if value in (None, "") else f"¥{Decimal(value):,.2f}"


def _decimal(value):
    """A finite Decimal of `value`, or None (NaN and Infinity are no amounts)."""
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


class Date(FieldKind):
    # not_future: a date that has already come (a date of birth, the day a
    # meeting was held), checked against today when the form is filled.
    # matches_id: the key of an ID number field of the same form whose
    # encoded birth date this date must be (a date of birth typed beside
    # the number); checked only when both are answered.
    code, label, options = "date", _("Date"), frozenset({"not_future", "matches_id"})

    def check_options(self, spec):
        return _flag_problems(spec, "not_future")

    def check_among(self, spec, specs):
        key = spec.get("matches_id")
        if key is None:
            return []
        if not isinstance(key, str) or specs.get(key, {}).get("type") != IdNumber.code:
            return [("matches_id", _("“%(key)s” names no resident ID number field of this form.")
                     % {"key": str(key)[:40]})]
        return []

    def cross_check(self, spec, cleaned):
        key = spec.get("matches_id")
        date, number = cleaned.get(spec["key"]), cleaned.get(key) if key else None
        if not date or not number:
            return None
        encoded = id_number_birth_date(number)
        if encoded is None or encoded == date:
            return None
        return _("The date of birth does not match the resident ID number: the number gives %(date)s.") % {
            "date": encoded.isoformat()}

    def form_field(self, spec, *, organisations=None):
        validators = [_not_after_today] if spec.get("not_future") else []
        return forms.DateField(widget=DATE_WIDGET, validators=validators, **self._common(spec))

    def stored(self, value):
        return value.isoformat() if value else None

    def shown(self, value, *, full=False, spec=None):
        return datetime.date.fromisoformat(value).strftime("%Y-%m-%d") if value else ""


def _not_after_today(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("This date cannot be later than today."))


def _flag_problems(spec, option):
    if not isinstance(spec.get(option, False), bool):
        return [(option, _("“%(flag)s” is true or false.") % {"flag": option})]
    return []


def _choices_problems(spec):
    choices = spec.get("choices")
    if not isinstance(choices, list) or len(choices) < 2:
        return [("choices", _("A choice needs at least two answers."))]
    values = [c.get("value") if isinstance(c, dict) else None for c in choices]
    if any(not isinstance(v, str) or not v.strip() for v in values):
        return [("choices", _("Every answer needs a value."))]
    if len(set(values)) != len(values):
        return [("choices", _("Two answers have the same value."))]
    if any(not isinstance(c.get("label"), str) or not c["label"].strip() for c in choices):
        return [("choices", _("Every answer needs a label."))]
    return []


def _choice_label(spec, value):
    return next((c["label"] for c in spec.get("choices", []) if c["value"] == value), value)


class Choice(FieldKind):
    code, label, options = "choice", _("Choice (one answer)"), frozenset({"choices"})

    def check_options(self, spec):
        return _choices_problems(spec)

    def form_field(self, spec, *, organisations=None):
        choices = [("", "---------")] + [(c["value"], c["label"]) for c in spec["choices"]]
        return forms.ChoiceField(choices=choices, **self._common(spec))

    def shown(self, value, *, full=False, spec=None):
        return _choice_label(spec or {}, value) if value else ""


class MultipleChoice(Choice):
    code, label = "multiple_choice", _("Multiple choice")

    def form_field(self, spec, *, organisations=None):
        return forms.MultipleChoiceField(choices=[(c["value"], c["label"]) for c in spec["choices"]],
                                         widget=forms.CheckboxSelectMultiple, **self._common(spec))

    def stored(self, value):
        return list(value or [])

    def shown(self, value, *, full=False, spec=None):
        return "、".join(str(_choice_label(spec or {}, v)) for v in value or [])


class YesNo(FieldKind):
    code, label = "yes_no", _("Yes or no")

    def form_field(self, spec, *, organisations=None):
        # Required means "an answer must be given", not "must be yes".
        return forms.TypedChoiceField(choices=[("", "---------"), ("yes", _("Yes")), ("no", _("No"))],
                                      coerce=lambda v: v == "yes", empty_value=None, **self._common(spec))

    def shown(self, value, *, full=False, spec=None):
        return "" if value is None else str(_("Yes") if value else _("No"))

    def initial(self, value):
        return None if value is None else ("yes" if value else "no")


class SectorField(FieldKind):
    """The economic sector of the candidate's unit (所属经济类型), one of the
    engine's sectors (workflows.models.Sector). Left blank it means the
    applying union's own sector: `answered_sector` reads it so. A unit's
    sector says nothing about a person, so a notice may publish it."""

    code, label = "sector", _("Economic sector of the unit")

    def form_field(self, spec, *, organisations=None):
        from workflows.models import Sector

        # Not required, the blank answer is a choice of its own: the union's sector.
        blank = "---------" if spec.get("required") else _("Same as the applying union")
        choices = [("", blank)] + [(value, label) for value, label in Sector.choices if value]
        return forms.ChoiceField(choices=choices, **self._common(spec))

    def stored(self, value):
        return value or ""

    def shown(self, value, *, full=False, spec=None):
        from workflows.models import Sector

        return str(Sector(value).label) if value and value in Sector.values else ""


def answered_sector(fields, answers, default=""):
    """The sector the answers of a form of `fields` give: the answer of its
    sector field, else `default` (the applying union's sector) when the
    form has none or it was left blank."""
    key = next((spec["key"] for spec in fields if spec.get("type") == SectorField.code), None)
    answer = answers.get(key) if key else None
    return answer if isinstance(answer, str) and answer else (default or "")


class OrganisationField(FieldKind):
    """A union of the district's tree; the caller passes the organisations
    the person filling the form may name (their branch)."""

    code, label = "organisation", _("Organisation")

    def form_field(self, spec, *, organisations=None):
        from workflows.models import Organisation

        queryset = organisations if organisations is not None else Organisation.objects.none()
        return forms.ModelChoiceField(queryset=queryset, **self._common(spec))

    def stored(self, value):
        # The name as it was when the form was filled: a renamed union does
        # not rewrite what was submitted, and showing it costs no query.
        return {"id": value.pk, "name": value.name} if value is not None else None

    def shown(self, value, *, full=False, spec=None):
        return value.get("name", "") if isinstance(value, dict) else ""

    def initial(self, value):
        return value.get("id") if isinstance(value, dict) else None


class IdNumber(FieldKind):
    code, label, publishable = "id_number", _("Resident ID number"), False

    def form_field(self, spec, *, organisations=None):
        return forms.CharField(max_length=18, min_length=18, validators=[validate_id_number],
                               **self._common(spec))

    def shown(self, value, *, full=False, spec=None):
        return value if full else masked_id_number(value or "")


class Mobile(FieldKind):
    # landline: a contact telephone, a fixed line (023-6123 4567) as well as
    # a mobile number; never published either way.
    code, label, publishable, options = "mobile", _("Mobile number"), False, frozenset({"landline"})

    def check_options(self, spec):
        return _flag_problems(spec, "landline")

    def form_field(self, spec, *, organisations=None):
        if spec.get("landline"):
            return forms.CharField(max_length=30, validators=[validate_phone], **self._common(spec))
        return forms.CharField(max_length=11, validators=[validate_mobile], **self._common(spec))

    def shown(self, value, *, full=False, spec=None):
        return value if full else masked_mobile(value or "")


class FileKind(FieldKind):
    """A file checked by size and content before it reaches disk (the
    engine's upload check), narrowed to the types and size the form allows.
    With `multiple`, several files (at most `max_files`), each checked so:
    they become attachments of the case under the same kind (the key)."""

    code, label, publishable = "file", _("File"), False
    options = frozenset({"types", "max_mb", "multiple", "max_files"})

    def check_options(self, spec):
        problems = []
        types = spec.get("types", list(ALLOWED_KINDS))
        if not isinstance(types, list) or not types or any(not isinstance(t, str) or t not in ALLOWED_KINDS
                                                           for t in types):
            problems.append(("types", _("Choose the accepted kinds of file among: %(kinds)s.")
                             % {"kinds": ", ".join(sorted(ALLOWED_KINDS))}))
        size = spec.get("max_mb", 10)
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_FILE_MB:
            problems.append(("max_mb", _("The largest file must be from 1 to %(max)s MB.") % {"max": MAX_FILE_MB}))
        problems.extend(_flag_problems(spec, "multiple"))
        if "max_files" in spec:
            count = spec["max_files"]
            if spec.get("multiple") is not True:
                problems.append(("max_files", _("A number of files is set only on a field of several files.")))
            elif isinstance(count, bool) or not isinstance(count, int) or not 2 <= count <= MAX_FILES:
                problems.append(("max_files", _("The number of files must be a whole number from 2 to %(max)s.")
                                 % {"max": MAX_FILES}))
        return problems

    def form_field(self, spec, *, organisations=None):
        options = {"types": spec.get("types", list(ALLOWED_KINDS)), "max_mb": spec.get("max_mb", 10)}
        if spec.get("multiple"):
            return CheckedFilesField(max_files=spec.get("max_files", DEFAULT_MAX_FILES), **options,
                                     **self._common(spec))
        return CheckedFileField(**options, **self._common(spec))

    def stored(self, value):
        return None  # the file itself is an attachment of the case, not a value

    def shown(self, value, *, full=False, spec=None):
        return str(value or "")


class CheckedFileField(AttachmentField):
    """One file, of the form's types and size, then checked by content (the
    clean upload carries `checked_content_type`)."""

    def __init__(self, *, types, max_mb, **kwargs):
        self.types, self.max_mb = types, max_mb
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = forms.FileField.clean(self, data, initial)
        if upload and hasattr(upload, "size"):
            self.check_allowed(upload)
            upload = super().clean(upload, initial)
        return upload

    def check_allowed(self, upload):
        if upload.size > self.max_mb * 1024 * 1024:
            raise ValidationError(_("“%(name)s” is larger than %(max)s MB.") % {"name": upload.name, "max": self.max_mb})
        ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if ext not in self.types:
            raise ValidationError(_("“%(name)s” is not an accepted kind of file here. Accepted: %(kinds)s.")
                                  % {"name": upload.name, "kinds": ", ".join(t.upper() for t in self.types)})


class CheckedFilesField(MultipleAttachmentField):
    """Several files in one input, each checked as CheckedFileField checks
    one (every refused file named); cleans to a list. `held`: how many
    files kept from an earlier post of the form stand for this field
    (held_files): they count toward `max_files`."""

    held = 0

    def __init__(self, *, types, max_mb, max_files, **kwargs):
        self.one = CheckedFileField(types=types, max_mb=max_mb, required=False)
        self.max_files = max_files
        super().__init__(**kwargs)

    def check_count(self, items):
        if len(items) + self.held > self.max_files:
            raise ValidationError(
                _("At most %(max)s files may be attached here; %(count)s were chosen.")
                % {"max": self.max_files, "count": len(items) + self.held}, code="max_files")

    def clean_one(self, item, initial=None):
        return self.one.clean(item)


PALETTE = {kind.code: kind for kind in (
    ShortText(), LongText(), Number(), Money(), Date(), Choice(), MultipleChoice(), YesNo(), SectorField(),
    OrganisationField(),
    IdNumber(), Mobile(), FileKind(),
)}
