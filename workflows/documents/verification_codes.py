"""Short verification codes that survive paper: Crockford's base32.

The alphabet has no look-alikes (no I, L, O, U), so a code read off a printed
certificate and typed by hand checks out: input is read case-insensitively,
with or without the dash or spaces, and with Crockford's decoding rules
(O is read as 0, I and L as 1). Codes are 8 characters (40 bits), printed as
two groups of four: ``7KQ4-M2XD``; a process may draw longer ones (a
one-time code of its own) with the same reading rules."""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
GROUP = 4
# Crockford's decoding substitutions: what a reader may type for what is printed.
_SUBSTITUTIONS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.]+")
_SYMBOLS = frozenset(ALPHABET)


def new_code(length=LENGTH):
    """A fresh random code of `length` symbols (5 random bits each), stored
    without the dash."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def cleaned(text):
    """What a person typed, read as Crockford reads it: separators and
    spaces dropped, upper case, O as 0, I and L as 1."""
    return _SEPARATORS.sub("", (text or "").strip().upper()).translate(_SUBSTITUTIONS)


def normalise(text, length=LENGTH):
    """The stored form of what a person typed, or "" when it cannot be a
    code of this alphabet and `length`."""
    code = cleaned(text)
    return code if len(code) == length and set(code) <= _SYMBOLS else ""


def grouped(code, size=GROUP):
    """As printed: ``7KQ4M2XD`` → ``7KQ4-M2XD``."""
    return "-".join(code[i:i + size] for i in range(0, len(code), size))
