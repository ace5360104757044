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

        self._register_nav_links()

    @staticmethod
    def _register_nav_links():
        # The engine's own pages in the header; processes add theirs.
        from workflows.navigation import register_nav_link as link

        link("certificates", _("Certificates"), "certificate_list", order=100)
        link("print_jobs", _("Print jobs"), "print_job_list", order=200, district_admin_only=True)
        link("organisation_tree", _("Organisation tree"), "organisation_tree", order=210, district_admin_only=True)
        link("accounts", _("Accounts"), "account_list", order=220, district_admin_only=True)
        link("channels", _("Notification channels of the district"), "channel_settings", order=230,
             district_admin_only=True)
        link("webhooks", _("Webhooks"), "webhooks", order=240, district_admin_only=True)
        link("security", _("Security settings"), "security_settings", order=250, district_admin_only=True)
