from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "evaluations.cadres"
    label = "cadres"
    verbose_name = _("Democratic evaluation of cadres")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The flow built from the declaration (registers the process, its
        # roles and its audit codes' labels), its list page.
        from . import api, flows, lists  # noqa: F401
        from workflows.navigation import register_nav_link

        register_nav_link("cadre_evaluations", _("Cadre evaluations"), "cadres:evaluation_list", order=30)
        from .coverage import register as register_coverage

        # Which units held their evaluation, on the engine's coverage page.
        register_coverage()
