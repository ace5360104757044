from django.apps import AppConfig


class ToyConfig(AppConfig):
    name = "tests.engine.toy"
    label = "toy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The toy's flow built from its declaration, its list, its part of
        # the JSON API, its notice handler and its titles.
        from tests.engine.toy import api, flows, lists, notices, quotas, titles  # noqa: F401
        from tests.engine.toy.declaration import LEGACY_LABELS
        from workflows.audit import register_action_labels

        register_action_labels(LEGACY_LABELS)

        quotas.register()
        quotas.register_mix()
