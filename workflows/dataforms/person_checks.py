"""The checks of a person's details on a process's own model form, the same
everywhere: a resident ID card number (upper-cased, its check character
verified), a date of birth in the past and the one the number holds, a
telephone number of digits, spaces, dashes and brackets. The form's fields
are named `id_number`, `birth_date` and `contact_phone` (any may be
absent: its check is skipped)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.dataforms.identity import id_number_birth_date, validate_id_number, validate_phone


class PersonChecksMixin:
    def clean_id_number(self):
        value = self.cleaned_data.get("id_number", "").strip().upper()
        if value:
            validate_id_number(value)
        return value

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if value and value >= timezone.localdate():
            raise ValidationError(_("The date of birth must be in the past."))
        return value

    def clean_contact_phone(self):
        value = self.cleaned_data.get("contact_phone", "").strip()
        if value:
            validate_phone(value)
        return value

    def clean(self):
        cleaned = super().clean()
        id_number, birth_date = cleaned.get("id_number"), cleaned.get("birth_date")
        if id_number and birth_date and id_number_birth_date(id_number) != birth_date:
            self.add_error("birth_date", _("The date of birth does not match the ID card number."))
        return cleaned
