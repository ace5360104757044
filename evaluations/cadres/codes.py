"""One-time voting codes and receipt codes.

Both are random strings in Crockford's base32 (no I, L, O or U, so nothing
reads as another character). A voting code has 12 symbols (60 random bits),
printed in groups of four (``7KQ4-M2XD-9PRT``); people type it in any case,
with or without the dashes, and a mistyped O, I or L reads as 0, 1, 1, as
Crockford's decoding says. A receipt code has 10 symbols (50 bits) printed
as ``R`` and two groups of five, so nobody takes one for the other."""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VOTING_CODE_LENGTH = 12  # 12 × 5 = 60 random bits
RECEIPT_LENGTH = 10  # 10 × 5 = 50 random bits
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def random_symbols(length):
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_voting_code():
    """The stored form: 12 symbols, no dashes."""
    return random_symbols(VOTING_CODE_LENGTH)


def new_receipt_code():
    return "R" + random_symbols(RECEIPT_LENGTH)


def normalise_code(typed):
    """What a person typed → the stored form, or "" when it cannot be a
    voting code (wrong length or a symbol outside the alphabet)."""
    cleaned = "".join((typed or "").split()).replace("-", "").upper().translate(_LOOK_ALIKES)
    if len(cleaned) != VOTING_CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return ""
    return cleaned


def normalise_receipt(typed):
    cleaned = "".join((typed or "").split()).replace("-", "").upper().translate(_LOOK_ALIKES)
    if cleaned.startswith("R"):
        cleaned = cleaned[1:]
    if not cleaned or len(cleaned) > RECEIPT_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return ""
    return "R" + cleaned


def group(code, size=4):
    return "-".join(code[i:i + size] for i in range(0, len(code), size))


def display_voting_code(code):
    return group(code, 4)


def display_receipt(receipt):
    """R7KQ4M2XD9P → R-7KQ4M-2XD9P"""
    return "R-" + group(receipt[1:], 5)
