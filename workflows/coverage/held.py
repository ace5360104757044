"""A coverage section of "which units held their case this year" (a
vote each unit holds yearly, a yearly return): every grassroots union of the user's
branches, with its latest case of the year, whether it has held one, a
filter held / not held, and the section's sheet of the page's download.
The process gives its cases of the year (a queryset over its model, with
`organisation`, `state`, `code`), the states that count as held and its
words; one query for the units, whatever their number."""

from dataclasses import dataclass
from typing import Callable

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from workflows.documents.xlsx import Sheet
from workflows.models import Organisation, OrgKind, existing_in
from workflows.organisations.scopes import branch_roots, under_q
from workflows.pages.query import query_without_page

from .registry import register_coverage_section


def units_holding(user, year, cases_of_year, held_states):
    """The grassroots unions of `user`'s branches that were in the tree in
    `year`, each with `held`, `case_state` and `case_code` (its latest
    case of the year); None for a user without a branch."""
    roots = branch_roots(user)
    if not roots:
        return None
    of_unit = cases_of_year.filter(organisation=OuterRef("pk"))
    latest = of_unit.order_by("-created", "-pk")
    return (
        # The units of that year: one set up since was not due to hold one.
        Organisation.objects.filter(under_q(roots), existing_in(year), kind=OrgKind.GRASSROOTS)
        .select_related("parent")
        .annotate(held=Exists(of_unit.filter(state__in=held_states)),
                  case_state=Subquery(latest.values("state")[:1]), case_code=Subquery(latest.values("code")[:1]))
        .order_by("path")
    )


def held_section(request, units, *, heading, summary, case_label, state_labels, case_url):
    """The section's HTML (None for no units: a user without a branch).
    `summary` takes %(held_count)s and %(total)s; `case_url(code)`."""
    if units is None:
        return None
    total, held_count = units.count(), units.filter(held=True).count()
    held = request.GET.get("held", "")
    if held in ("yes", "no"):
        units = units.filter(held=held == "yes")
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    for unit in page.object_list:
        unit.state_label = state_labels.get(unit.case_state, "")
        unit.case_url = case_url(unit.case_code) if unit.case_code else ""
    kept = [(name, value) for name, values in request.GET.lists() if name not in ("held", "page")
            for value in values]
    return render_to_string("workflows/coverage/_held.html", {
        "page_obj": page, "units": page.object_list, "held": held, "heading": heading, "case_label": case_label,
        "summary": summary % {"held_count": held_count, "total": total}, "held_count": held_count, "total": total,
        "query_string": query_without_page(request), "kept": kept,
    }, request=request)


def held_sheets(units, *, title, sheet_title, case_label, state_labels):
    """The section's sheet: every unit and whether it held its case."""
    if units is None:
        return None
    rows = [[unit.code, unit.name, unit.parent.name if unit.parent_id else "",
             _("Held") if unit.held else _("Not held"), unit.case_code or "",
             str(state_labels.get(unit.case_state, ""))] for unit in units]
    return [Sheet(sheet_title, [_("Code"), _("Unit"), _("Superior union"), _("Held"), case_label, _("Status")],
                  rows, caption=[title], page_title=title)]


@dataclass(frozen=True)
class HeldSection:
    """A process's section of units that held their case, declared:
    `cases_of_year(year)` its cases that count (a queryset), `held_states`,
    its words (`heading` takes %(year)s, `summary` %(held_count)s and
    %(total)s), `state_labels` {state: label} and `case_url(code)`."""

    key: str
    label: object
    cases_of_year: Callable
    held_states: tuple
    heading: object
    summary: object
    case_label: object
    sheet_title: object
    state_labels: dict
    case_url: Callable
    order: int = 100

    def units(self, user, year):
        return units_holding(user, year, self.cases_of_year(year), self.held_states)

    # The words are said in the request's language (they may be lazy: a
    # workbook takes only plain strings).
    def render(self, request, year):
        return held_section(request, self.units(request.user, year), heading=str(self.heading) % {"year": year},
                            summary=str(self.summary), case_label=str(self.case_label),
                            state_labels=self.state_labels, case_url=self.case_url)

    def sheets(self, request, year):
        return held_sheets(self.units(request.user, year), title=str(self.heading) % {"year": year},
                           sheet_title=str(self.sheet_title), case_label=str(self.case_label),
                           state_labels=self.state_labels)


def register_held_section(section):
    """The section on the coverage page, with its sheet of the download."""
    register_coverage_section(section.key, label=section.label, render=section.render, sheets=section.sheets,
                              order=section.order)
