from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "evaluations.cadres"
    label = "cadres"
    verbose_name = _("Democratic evaluation of cadres")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The flow built from the declaration (registers the process, its
        # roles and its audit codes' labels), its list page, and its papers
        # (documents: what the pages offer and export_case_document prints).
        from . import api, documents, flows, lists  # noqa: F401
        from django.urls import reverse
        from workflows.coverage.held import HeldSection, register_held_section
        from workflows.navigation import register_nav_link

        from .models import HELD_STATES, Evaluation, EvaluationState

        register_nav_link("cadre_evaluations", _("Cadre evaluations"), "cadres:evaluation_list", order=30)
        # Which units of the user's branches held their evaluation in the
        # year, a section of the engine's coverage page (/coverage/) and of
        # its workbook; the old /evaluations/cadres/coverage/ sends its
        # visitors there (urls.py).
        register_held_section(HeldSection(
            "democratic_evaluations", label=_("Democratic evaluations"), order=20,
            # A rehearsal (演练) never counts: a unit that only rehearsed has not held one.
            cases_of_year=lambda year: Evaluation.objects.filter(year=year, rehearsal=False), held_states=HELD_STATES,
            heading=_("Democratic evaluations in %(year)s"), sheet_title=_("Democratic evaluations"),
            summary=_("%(held_count)s of %(total)s units have held their evaluation."), case_label=_("Evaluation"),
            state_labels=dict(EvaluationState.choices),
            case_url=lambda code: reverse("cadres:evaluation_detail", args=[code]),
        ))
