from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "evaluations.congress"
    label = "congress"
    verbose_name = _("Reports to the workers' congress")

    def ready(self):
        from workflows.audit import register_action_labels

        # The route's flow (built from its declaration) and the events the
        # app sends, registered when the app loads.
        from . import api, documents, flows, lists, periods, reminders  # noqa: F401
        from workflows.steps.inbox import register_inbox_panel

        # The reports a union still owes (drafts have no task yet).
        register_inbox_panel("congress/_inbox_due_reports.html")
        # The work plan's figures on the engine's coverage page.
        from .coverage_views import register as register_coverage

        register_coverage()

        from workflows.navigation import register_nav_link

        from .selectors import coverage_scopes

        register_nav_link("congress_reports", _("Congress reports"), "congress:report_list", order=40)
        # The dashboard only for those who have one (a district or an
        # intermediate union where they hold a branch role).
        register_nav_link("coverage", _("Coverage"), "coverage:dashboard", order=110,
                          visible=lambda request: bool(coverage_scopes(request.user)))

        register_action_labels({
            "congress.period.opened": _("Reporting period opened"),
            "congress.report.due": _("Report due"),
            "congress.report.saved": _("Draft saved"),
            "congress.report.submit": _("Report submitted"),
            "congress.report.resubmit": _("Report resubmitted"),
            "congress.report.forward": _("Checked and sent to the district"),
            "congress.report.return": _("Returned with comments"),
            "congress.report.accept": _("Report accepted"),
            "congress.report.archive": _("Report archived"),
            "congress.facts.updated": _("Organisation facts updated"),
        })
