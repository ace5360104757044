from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class UnionFlowConfig(AppConfig):
    """The project itself as an app: its deployment checks (config.checks)
    run with every management command and before the WSGI app serves."""

    name = "config"
    label = "unionflow_config"
    verbose_name = "UnionFlow"

    def ready(self):
        from . import checks  # noqa: F401  (registers the checks)
        # Registers the lockout notice's event, so that a stored notice
        # renders in any process, not only one that has locked someone out.
        from . import login_lockouts  # noqa: F401


class StaticFilesConfig(DjangoStaticFilesConfig):
    """collectstatic without django-viewflow's own front end (49 MB of
    Material fonts and scripts, some of its CSS naming files its wheel does
    not ship): UnionFlow's pages do not use it."""

    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "viewflow/*"]
