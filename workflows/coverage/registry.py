"""What the one coverage page (/coverage/) shows: sections registered by
the processes, in their order. The engine knows no process: each process
registers, when its app loads, what its section of the page shows for a
year and the sheets it adds to the page's Excel download, and may hang its
own pages (a drill-down, a closing form) under /coverage/.

A section's `render(request, year)` returns the section's HTML, or None
when the user has nothing to see there; it may raise Http404 for a request
it refuses (a branch the user may not see). `sheets(request, year)`
returns the section's workbook sheets (workflows.documents.xlsx.Sheet),
none when the user has nothing to see. `default_year()` proposes the year
the page opens at (the first section's proposal is taken). The page is a
404 for a user no section has anything for."""

from dataclasses import dataclass, field
from typing import Callable

_SECTIONS = {}
_URLPATTERNS = []


@dataclass(frozen=True)
class CoverageSection:
    key: str
    label: object
    render: Callable
    sheets: Callable
    order: int = 100
    default_year: Callable | None = None
    extra: dict = field(default_factory=dict)


def register_coverage_section(key, *, label, render, sheets, order=100, default_year=None, urlpatterns=()):
    """Register (or replace, when an app loads twice) a section of the
    coverage page; `urlpatterns` are the section's own pages under
    /coverage/ (named in the page's `coverage` namespace)."""
    _SECTIONS[key] = CoverageSection(key=key, label=label, render=render, sheets=sheets, order=order,
                                     default_year=default_year)
    names = {p.name for p in _URLPATTERNS}
    _URLPATTERNS.extend(p for p in urlpatterns if p.name not in names)


def coverage_sections():
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def section_urlpatterns():
    return list(_URLPATTERNS)
