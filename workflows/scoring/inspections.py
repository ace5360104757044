"""Inspectors scoring a case against a standard version: what every
process whose route sends named inspectors shares. Who may be sent (the
holders of the given roles at the district), the score rows an inspector's
sheet writes, the mean of the totals, and the comparison of the
inspectors' scores item by item, side by side. The process keeps the rows
(its own inspection and score models, with the fields `score`,
`veto_applies` and `note`) and decides who reads them."""

from decimal import Decimal

from .sheet import ZERO


def inspector_candidates(district, roles):
    """The people the district may send: holders of `roles` at the
    district itself."""
    from django.contrib.auth import get_user_model

    return (get_user_model().objects.filter(memberships__organisation=district, memberships__role__in=list(roles))
            .distinct().order_by("username"))


def mean_of(numbers):
    """The mean of the numbers given (None left out), to the cent; None
    when there is none."""
    numbers = [n for n in numbers if n is not None]
    if not numbers:
        return None
    return (sum(numbers, ZERO) / len(numbers)).quantize(Decimal("0.01"))


def write_scores(items, existing, answers, make_row, *, note_limit=300):
    """The score rows of one sheet for `answers` (SheetForm.answers: {item
    id: {"score", "veto", "evidence"}}): `existing` rows ({item id: row})
    updated, new ones made by `make_row(item)`. Returns (new, changed) for
    the caller's bulk_create / bulk_update."""
    new, changed = [], []
    for item in items:
        given = answers.get(item.pk)
        if given is None:
            continue
        row = existing.get(item.pk) or make_row(item)
        row.score, row.veto_applies = given.get("score"), given.get("veto")
        row.note = (given.get("evidence") or "")[:note_limit]
        (changed if row.pk else new).append(row)
    return new, changed


def comparison_rows(items, inspections, scores, own=None):
    """Per item: each inspector's score row (in the order of
    `inspections`), their mean and spread; `own` ({item id: row}) the
    applicant's self-assessment where the process has one."""
    by_key = {(s.inspection_id, s.item_id): s for s in scores}
    rows = []
    for item in items:
        cells = [by_key.get((i.pk, item.pk)) for i in inspections]
        numbers = [c.score for c in cells if c is not None and c.score is not None]
        rows.append({
            "item": item, "own": (own or {}).get(item.pk), "cells": cells, "mean": mean_of(numbers),
            "spread": (max(numbers) - min(numbers)) if len(numbers) > 1 else None,
        })
    return rows
