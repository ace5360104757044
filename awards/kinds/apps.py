from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KindsConfig(AppConfig):
    name = "awards.kinds"
    label = "kinds"
    verbose_name = _("Kinds of campaign")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from workflows.audit import register_action_labels
        from workflows.navigation import register_nav_link

        from .models import ACTION_LABELS

        register_action_labels(ACTION_LABELS)
        register_nav_link("campaign_kinds", _("Kinds of campaign"), "kinds:list", order=260,
                          district_admin_only=True)
