from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class UnionFlowConfig(AppConfig):
    """The project itself as an app: its deployment checks (config.checks)
    run with every management command and before the WSGI app serves."""

    name = "config"
    label = "unionflow_config"
    verbose_name = "UnionFlow"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the checks)
        # Registers the lockout notice's event, so that a stored notice
        # renders in any process, not only one that has locked someone out.
        from . import login_lockouts  # noqa: F401
        from .sessions import note_refreshed_at_login

        user_logged_in.connect(note_refreshed_at_login, dispatch_uid="unionflow_session_refreshed_at_login")


class StaticFilesConfig(DjangoStaticFilesConfig):
    """collectstatic without django-viewflow's own front end (49 MB of
    Material fonts and scripts, some of its CSS naming files its wheel does
    not ship): UnionFlow's pages do not use it."""

    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "viewflow/*"]
