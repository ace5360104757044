from django.apps import AppConfig


class ProviderConfig(AppConfig):
    name = "tests.signon.provider"
    label = "signon_provider"
