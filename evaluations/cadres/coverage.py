"""The democratic evaluations' section of the coverage page (/coverage/,
the engine's workflows.coverage): which units of the user's branches held
their evaluation in the year, and the section's sheet of the page's Excel
download. The old page /evaluations/cadres/coverage/ sends its visitors
there (views.coverage)."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.coverage.registry import register_coverage_section
from workflows.documents.xlsx import Sheet

from . import selectors
from .models import EvaluationState


def _query_string_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def section(request, year):
    """The section, or None for a user with no branch."""
    units = selectors.coverage(request.user, year)
    if units is None:
        return None
    total, held_count = units.count(), units.filter(held=True).count()
    held = request.GET.get("held", "")
    if held == "yes":
        units = units.filter(held=True)
    elif held == "no":
        units = units.filter(held=False)
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    labels = dict(EvaluationState.choices)
    for unit in page.object_list:
        unit.state_label = labels.get(unit.evaluation_state, "")
    kept = [(name, value) for name, values in request.GET.lists() if name not in ("held", "page")
            for value in values]
    return render_to_string("cadres/coverage.html", {
        "page_obj": page, "units": page.object_list, "year": year, "held": held, "held_count": held_count,
        "total": total, "query_string": _query_string_without_page(request), "kept": kept,
    }, request=request)


def sheets(request, year):
    """Every unit of the user's branches and whether it held its
    evaluation in `year` (None: nothing for this user)."""
    units = selectors.coverage(request.user, year)
    if units is None:
        return None
    labels = dict(EvaluationState.choices)
    rows = [[unit.code, unit.name, unit.parent.name if unit.parent_id else "",
             _("Held") if unit.held else _("Not held"), unit.evaluation_code or "",
             str(labels.get(unit.evaluation_state, ""))] for unit in units]
    title = _("Democratic evaluations in %(year)s") % {"year": year}
    return [Sheet(_("Democratic evaluations"), [_("Code"), _("Unit"), _("Superior union"), _("Held"),
                                                _("Evaluation"), _("Status")], rows,
                  caption=[title], page_title=title)]


def register():
    register_coverage_section("democratic_evaluations", label=gettext_lazy("Democratic evaluations"),
                              render=section, sheets=sheets, order=20)
