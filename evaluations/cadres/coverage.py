"""The democratic evaluations' section of the coverage page (/coverage/,
the engine's workflows.coverage): which units of the user's branches held
their evaluation in the year (the engine's held section), and its sheet of
the page's Excel download. Rehearsals never count. The old page
/evaluations/cadres/coverage/ sends its visitors there (views.coverage)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.coverage.held import held_section, held_sheets, units_holding
from workflows.coverage.registry import register_coverage_section

from .models import Evaluation, EvaluationState
from .selectors import HELD_STATES


def units(user, year):
    # A rehearsal (演练) never counts: a unit that only rehearsed has not held one.
    return units_holding(user, year, Evaluation.objects.filter(year=year, rehearsal=False), HELD_STATES)


def section(request, year):
    return held_section(
        request, units(request.user, year), heading=_("Democratic evaluations in %(year)s") % {"year": year},
        summary=_("%(held_count)s of %(total)s units have held their evaluation."), case_label=_("Evaluation"),
        state_labels=dict(EvaluationState.choices), case_url=lambda code: reverse("cadres:evaluation_detail", args=[code]))


def sheets(request, year):
    title = _("Democratic evaluations in %(year)s") % {"year": year}
    return held_sheets(units(request.user, year), title=title, sheet_title=_("Democratic evaluations"),
                       case_label=_("Evaluation"), state_labels=dict(EvaluationState.choices))


def register():
    register_coverage_section("democratic_evaluations", label=gettext_lazy("Democratic evaluations"),
                              render=section, sheets=sheets, order=20)
