from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")

    def ready(self):
        # The May Day process: its labels of audit codes (selectors), its
        # flow built from its declaration, its list, its public-notice handler.
        from awards.mayday import api, certificate_layouts, flows, id_numbers, lists, notices, selectors  # noqa: F401
        from awards.roles import register_import_rules

        register_import_rules()

        # What May Day's audit entries mean to the cases carried from its
        # nominations onto the kinds (awards/legacy).
        from awards.legacy import history, labels

        history.register()
        # The words of every audit code May Day wrote (kept for ever).
        labels.register()

        # Its campaigns' places are the engine's quotas, a category per award.
        from awards import quotas

        quotas.register()
        # And its mix rules the engine's (workflows.mixrules).
        quotas.register_mix_rules()

        from workflows.navigation import register_nav_link

        register_nav_link("mayday_campaigns", _("May Day awards"), "awards:campaign_list", order=10)
        register_nav_link("mayday_nominations", _("Nominations"), "awards:nomination_list", order=11)
