"""Typed values of an imported cell, read the ways a clerk types them: a
yes/no as 是/否, √/×, yes/no, 1/0 or a real boolean; a year as 2024 or
2024年; a date as a date cell or 2024-06-30. Each returns None when the
cell says something else: the importer names the cell (xlsx_import)."""

import datetime

TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", "", "×"}


def yes_no(raw):
    if isinstance(raw, bool):
        return raw
    word = str(raw if raw is not None else "").strip().lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def year_of(raw, first=1900, last=2100):
    try:
        year = int(str(raw).strip().rstrip("年"))
    except ValueError:
        return None
    return year if first <= year <= last else None


def date_of(raw):
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw).strip())
    except ValueError:
        return None
