from django.apps import AppConfig


class ToyConfig(AppConfig):
    name = "tests.engine.toy"
    label = "toy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The toy's flow built from its declaration, its list, its part of
        # the JSON API and its notice handler.
        from tests.engine.toy import api, flows, lists, notices, quotas  # noqa: F401

        quotas.register()
        quotas.register_mix()
