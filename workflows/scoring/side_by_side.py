"""Several people's scores of one sheet, side by side (inspectors scoring
the same application): per item, each one's row, their mean and their
spread; and the same as an Excel sheet. What a reader may see of another's
scores is the process's selector's to say: these take the sheets and rows
already chosen.

A sheet is any object with `pk`, `total` and `comment`; its rows (`cells`,
{(sheet pk, item pk): row}) have `score`, `veto_applies` and `note`.
Column headings are Chinese literal: the sheet is the district's form."""

from decimal import Decimal

from workflows.documents.xlsx import Sheet, write_workbook
from workflows.models import ItemKind


def comparison_rows(items, own, sheets, cells):
    """[{item, own, cells, mean, spread}] in the items' order: `own` the
    applicant's row of each item ({item pk: row}), `cells` each sheet's row
    or None, the mean of the scores given (to the cent) and the difference
    between the highest and the lowest when two or more are given."""
    rows = []
    for item in items:
        row_cells = [cells.get((sheet.pk, item.pk)) for sheet in sheets]
        numbers = [c.score for c in row_cells if c is not None and c.score is not None]
        rows.append({
            "item": item, "own": own.get(item.pk), "cells": row_cells,
            "mean": (sum(numbers, Decimal("0")) / len(numbers)).quantize(Decimal("0.01")) if numbers else None,
            "spread": (max(numbers) - min(numbers)) if len(numbers) > 1 else None,
        })
    return rows


def _cell(item, row):
    if row is None:
        return ""
    if item.kind == ItemKind.VETO:
        return "" if row.veto_applies is None else ("是" if row.veto_applies else "否")
    return "" if row.score is None else float(row.score)


def scores_workbook(items, sheets, cells, *, names, page_title, sheet_title="考核评分"):
    """One column of scores per sheet (headed by `names`), then each one's
    item notes (备注); the totals and each one's general remark last."""
    headers = ["编号", "考核内容", "标准分"] + names + [f"{name} 备注" for name in names]
    rows = []
    for item in items:
        given = [cells.get((sheet.pk, item.pk)) for sheet in sheets]
        rows.append([item.code, item.text, float(item.max_points)] + [_cell(item, row) for row in given]
                    + [getattr(row, "note", "") or "" for row in given])
    rows.append(["", "合计", ""] + ["" if s.total is None else float(s.total) for s in sheets])
    rows.append(["", "总体意见", ""] + [""] * len(sheets) + [s.comment or "" for s in sheets])
    return write_workbook([Sheet(sheet_title, headers, rows, page_title=page_title)])
