"""The democratic evaluations' section of the coverage page (/coverage/,
the engine's workflows.coverage): which units of the user's branches held
their evaluation in the year (the engine's held section), and its sheet of
the page's Excel download. Rehearsals never count. The old page
/evaluations/cadres/coverage/ sends its visitors there (views.coverage)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workflows.coverage.held import HeldSection, register_held_section

from .models import Evaluation, EvaluationState
from .selectors import HELD_STATES


def register():
    register_held_section(HeldSection(
        "democratic_evaluations", label=_("Democratic evaluations"), order=20,
        # A rehearsal (演练) never counts: a unit that only rehearsed has not held one.
        cases_of_year=lambda year: Evaluation.objects.filter(year=year, rehearsal=False), held_states=HELD_STATES,
        heading=_("Democratic evaluations in %(year)s"), sheet_title=_("Democratic evaluations"),
        summary=_("%(held_count)s of %(total)s units have held their evaluation."), case_label=_("Evaluation"),
        state_labels=dict(EvaluationState.choices),
        case_url=lambda code: reverse("cadres:evaluation_detail", args=[code]),
    ))
