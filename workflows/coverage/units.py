"""The drill-down of a coverage target: the units it does not count yet
(for a count target, the ones it counts), paged; for a closed year, the
units as the closed year listed them (workflows.coverage.closing)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from .figures import COUNT


def units_page(request, units, *, target, scope, year, closed=None, unit_url=None):
    """`units`: a queryset of organisations (their parent selected), or the
    closed year's list of dicts; `unit_url(org)` links a live unit to the
    process's page for it."""
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    if closed is None and unit_url is not None:
        for org in page.object_list:
            org.unit_url = unit_url(org)
    return render(request, "workflows/coverage/units.html", {
        "scope": scope, "target": target, "year": year, "page_obj": page, "closed": closed,
        "counted_list": target.unit == COUNT, "query_string": f"year={year}&branch={scope.pk}",
        "dashboard_url": f"{reverse('coverage:dashboard')}?year={year}&branch={scope.pk}",
    })
