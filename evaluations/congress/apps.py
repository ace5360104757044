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
        from workflows.steps.due_panel import DuePanel, register_due_panel

        from .models import OUTSTANDING_STATES, Report
        from .roles import SUBMITTER

        # The reports a union still owes, on its inbox (drafts have no task yet).
        register_due_panel(DuePanel(
            "congress_reports", _("Reports due"), _("Report"), role=SUBMITTER,
            outstanding=lambda: Report.objects.filter(state__in=OUTSTANDING_STATES).select_related(
                "kind", "organisation", "period"), title=lambda report: f"{report.kind.name} · {report.period.title}"))
        # The work plan's figures on the engine's coverage page.
        from workflows.coverage.targets import register_targets_section

        from .coverage import WORK_PLAN

        register_targets_section(WORK_PLAN)

        from workflows.navigation import register_nav_link

        from workflows.organisations.scopes import BRANCH_KINDS, branch_roots

        register_nav_link("congress_reports", _("Congress reports"), "congress:report_list", order=40)
        # The dashboard only for those who have one (a district or an
        # intermediate union where they hold a branch role).
        register_nav_link("coverage", _("Coverage"), "coverage:dashboard", order=110,
                          visible=lambda request: bool(branch_roots(request.user, BRANCH_KINDS)))

        register_action_labels({
            "congress.period.opened": _("Reporting period opened"),
            "congress.report.due": _("Report due"),
            "congress.report.saved": _("Draft saved"),
            "congress.report.submit": _("Report submitted"),
            "congress.facts.updated": _("Organisation facts updated"),
        })
