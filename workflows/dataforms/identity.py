"""Resident ID numbers (居民身份证号码, GB 11643-1999): the check digit, the
birth date it encodes, and the masked form shown to those whose job does
not need the whole number."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Weights of the 17 digits of a resident ID number (GB 11643-1999).
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK_CHARS = "10X98765432"
# Mainland mobile numbers: 11 digits starting with 1 and 3–9.
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
# Any telephone, a fixed line with its area code included.
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,28}$")


def id_number_birth_date(value):
    """The birth date encoded in an 18-character ID number, or None."""
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def id_check_character(first17):
    return ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def validate_id_number(value):
    if not re.fullmatch(r"[0-9]{17}[0-9X]", value):
        raise ValidationError(_("An ID card number has 18 characters: 17 digits and a digit or X."))
    if value[17] != id_check_character(value[:17]) or id_number_birth_date(value) is None:
        raise ValidationError(_("This ID card number is not valid; please check it."))


def validate_mobile(value):
    if not MOBILE_RE.fullmatch(value):
        raise ValidationError(_("A mobile number has 11 digits and starts with 1."))


def validate_phone(value):
    if not PHONE_RE.match(value):
        raise ValidationError(_("Enter a telephone number: digits, spaces, dashes and brackets only."))


def masked_id_number(value):
    """The first three and the last four characters: enough to tell two
    people apart on a list, not enough to use the number."""
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def masked_mobile(value):
    if not value:
        return ""
    return value[:3] + "****" + value[-4:]
