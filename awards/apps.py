from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")

    def ready(self):
        # Registers the labels of awards' audit codes (workflows.audit).
        from awards.mayday import selectors  # noqa: F401
