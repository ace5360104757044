from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")

    def ready(self):
        from awards.roles import register_import_rules

        register_import_rules()

        # What the retired May Day award's audit entries mean to the cases
        # carried from its nominations onto the kinds (awards/legacy), and
        # the words of every audit code it wrote (kept for ever).
        from awards.legacy import history, labels

        history.register()
        labels.register()
