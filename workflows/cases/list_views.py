"""The one case list page, for every process that registers a CaseList
(`workflows.cases.lists`): filters, search, paging, and the filtered
list as an Excel workbook (`?format=xlsx`, every row, not just the page)."""

import datetime
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET

from workflows.cases.lists import case_list_of, filtered_cases, list_process
from workflows.documents.xlsx import table_workbook, xlsx_response


def _shown(value):
    """A cell's text on the page: dates as the office writes them."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "Y-m-d")
    return value


def _typed(value):
    """A cell's value in the workbook: numbers and dates stay typed; an
    aware datetime is written in local time (Excel knows no time zones)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, (int, float, datetime.date)):
        return value
    return str(value)


def _row(spec, case):
    return table_row(spec.columns, case, select=spec.select)


def table_row(columns, case, *, select=None):
    """{case, cells} of one row of `columns` (lists.Column) as the table
    part draws it (templates/workflows/pages/_table.html)."""
    cells = []
    for column in columns:
        cells.append({
            "label": column.label,
            "text": _shown(column.value(case)),
            "url": column.url(case) if column.url else case.get_absolute_url() if column.link else "",
            "note": column.note(case) if column.note else "",
            "badge": column.badge(case) if column.badge else None,
            "badges": [(b + ("",))[:3] for b in column.badges(case)] if column.badges else (),
        })
    return {"case": case, "cells": cells, "select_label": select.label_of(case) if select else ""}


def _export(spec, cases):
    headers = [str(c.label) for c in spec.columns]
    rows = ([_typed((c.excel or c.value)(case)) for c in spec.columns] for case in cases.iterator(chunk_size=500))
    title = str(spec.export_name or spec.title)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(table_workbook(title, headers, rows), f"{title}-{stamp}.xlsx")


@login_required
@require_GET
def case_list(request, process_key):
    spec = case_list_of(process_key)
    filters, cases = filtered_cases(process_key, request.user, request.GET)
    if request.GET.get("format") == "xlsx":
        return spec.export(cases) if spec.export else _export(spec, cases)
    page = Paginator(cases, spec.page_size).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    context = {
        "spec": spec, "process": list_process(process_key), "filters": filters.fields,
        "select": spec.select if spec.select and spec.select.visible(request) else None,
        "page_obj": page, "rows": [_row(spec, case) for case in page.object_list],
        "query_string": params.urlencode(), "list_url": request.path,
    }
    if spec.header_context:
        context.update(spec.header_context(request))
    return render(request, "workflows/case_list.html", context)
