from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "evaluations.cadres"
    label = "cadres"
    verbose_name = _("Democratic evaluation of cadres")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The labels of this app's audit codes (workflows.audit) and the
        # flow built from the declaration (registers the process and its roles).
        from . import api, audit_labels, flows  # noqa: F401
        from .coverage import register as register_coverage

        # Which units held their evaluation, on the engine's coverage page.
        register_coverage()
