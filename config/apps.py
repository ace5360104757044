from django.apps import AppConfig


class UnionFlowConfig(AppConfig):
    """The project itself as an app: its deployment checks (config.checks)
    run with every management command and before the WSGI app serves."""

    name = "config"
    label = "unionflow_config"
    verbose_name = "UnionFlow"

    def ready(self):
        from . import checks  # noqa: F401  (registers the checks)
