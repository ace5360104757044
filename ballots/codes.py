"""One-time voting codes and receipt codes.

Both are random strings in Crockford's base32 (the engine's
workflows.documents.verification_codes: no I, L, O or U, so nothing reads
as another character; people type them in any case, with or without the
dashes, and a mistyped O, I or L reads as 0, 1, 1). A voting code has 12
symbols (60 random bits), printed in groups of four (``7KQ4-M2XD-9PRT``).
A receipt code has 10 symbols (50 bits) printed as ``R`` and two groups of
five, so nobody takes one for the other."""

from workflows.documents.verification_codes import ALPHABET, cleaned, grouped, new_code, normalise

VOTING_CODE_LENGTH = 12  # 12 × 5 = 60 random bits
RECEIPT_LENGTH = 10  # 10 × 5 = 50 random bits


def new_voting_code():
    """The stored form: 12 symbols, no dashes."""
    return new_code(VOTING_CODE_LENGTH)


def new_receipt_code():
    return "R" + new_code(RECEIPT_LENGTH)


def normalise_code(typed):
    """What a person typed → the stored form, or "" when it cannot be a
    voting code (wrong length or a symbol outside the alphabet)."""
    return normalise(typed, VOTING_CODE_LENGTH)


def normalise_receipt(typed):
    """A receipt or its beginning, as typed to find it → "R…", or ""."""
    code = cleaned(typed)
    code = code[1:] if code.startswith("R") else code
    return "R" + code if code and len(code) <= RECEIPT_LENGTH and set(code) <= set(ALPHABET) else ""


def display_voting_code(code):
    return grouped(code, 4)


def display_receipt(receipt):
    """R7KQ4M2XD9P → R-7KQ4M-2XD9P"""
    return "R-" + grouped(receipt[1:], 5)


def fresh_codes(model, count, **fields):
    """`count` new unsaved `model` rows with `fields`, each holding a voting
    code equal to no stored code of any ballot (a clash, with the rows
    stored or with each other, is drawn again; the unique index is the
    last word)."""
    existing = set()
    rows = []
    while len(rows) < count:
        drawn = {new_voting_code() for _ in range(count - len(rows))} - existing
        taken = set(model.objects.filter(code__in=drawn).values_list("code", flat=True))
        for code in drawn - taken:
            rows.append(model(code=code, **fields))
            existing.add(code)
    return rows
