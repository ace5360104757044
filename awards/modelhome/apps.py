from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelHomeConfig(AppConfig):
    name = "awards.modelhome"
    label = "modelhome"
    verbose_name = _("Model workers' home")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from workflows.audit import register_action_labels

        from .labels import ACTION_LABELS

        register_action_labels(ACTION_LABELS)
        # The flow built from the declaration, the notice's handler, the
        # titles (hooks) and the plaque layout (certificates), both imported
        # by decisions, the list page.
        from . import api, decisions, flows, lists  # noqa: F401
        from workflows.navigation import register_nav_link

        register_nav_link("modelhome", _("Model workers' home"), "modelhome:index", order=20)
