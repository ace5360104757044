"""The one coverage page of every process: a year selector, each
registered section's figures for that year (workflows.coverage.registry),
and one Excel download holding every section's sheets, written by the
engine's Excel part."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from workflows.documents.xlsx import write_workbook, xlsx_response

from workflows.pages.query import asked_year

from .registry import coverage_sections

FIRST_YEAR = 2020


def page_year(request):
    """The asked year (2000–2100), else the first section's proposal, else
    this year."""
    proposals = [s.default_year for s in coverage_sections() if s.default_year is not None]
    return asked_year(request.GET, proposals[0] if proposals else lambda: timezone.localdate().year)


@login_required
@require_GET
def dashboard(request):
    year = page_year(request)
    sections = []
    for section in coverage_sections():
        html = section.render(request, year)
        if html is not None:
            sections.append({"key": section.key, "label": section.label, "html": mark_safe(html)})
    if not sections:
        raise Http404()
    # The year form keeps what the sections were asked (a branch, a filter).
    kept = [(name, value) for name, values in request.GET.lists() if name not in ("year", "page")
            for value in values]
    query = request.GET.copy()
    query["year"] = year
    return render(request, "workflows/coverage.html", {
        "year": year, "years": range(timezone.localdate().year, FIRST_YEAR - 1, -1), "sections": sections,
        "kept": kept, "export_query": query.urlencode(),
    })


@login_required
@require_GET
def export(request):
    year = page_year(request)
    sheets, seen = [], False
    for section in coverage_sections():
        found = section.sheets(request, year)
        if found is not None:
            seen = True
            sheets.extend(found)
    if not seen:
        raise Http404()
    if not sheets:
        raise Http404(_("Nothing to download."))
    return xlsx_response(write_workbook(sheets), f"coverage-{year}.xlsx")
