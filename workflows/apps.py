from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflow engine")

    def ready(self):
        # The process checks, and the modules that register notification
        # events: a stored notification must render wherever it is read.
        from workflows.notices import services as notices  # noqa: F401
        from workflows.organisations import delegation  # noqa: F401
        from workflows.steps import assignment, checks, deadlines, decisions  # noqa: F401
        # The login signal that copies "must change password" into the
        # session, and the audit labels of account actions.
        from workflows.organisations import imports, passwords  # noqa: F401
        # Account security: its login signals (session clocks, second-factor
        # state) and audit labels.
        from workflows.security import audit_export, identities, second_factor, sessions  # noqa: F401
        # The outbox handlers: the sweep must know every kind of owed work.
        from workflows.documents import tasks  # noqa: F401
        from workflows.notifications.channels import dispatch  # noqa: F401
        # The webhooks' delivery handler and the certificate signal.
        from workflows.api import webhooks  # noqa: F401
