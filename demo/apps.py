from django.apps import AppConfig


class DemoConfig(AppConfig):
    # No models, so no admin section: the name is never shown.
    name = "demo"
