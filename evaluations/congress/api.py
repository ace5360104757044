"""Reports to the workers' congress in the JSON API (workflows.api): a
report's content as its page shows it, its printed report once handed in
(its list, filters, attachments and steps are the engine's: the union
revises through its form, not a button); and the work plan's coverage
figures per year (the dashboard's own computation, scoped as the
dashboard). Registered from AppConfig.ready."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workflows.coverage.figures import plain
from workflows.dataforms.completeness import answer_entries
from workflows.steps.registry import CaseApi, register_case_api, register_figures

from .coverage import WORK_PLAN
from .declaration import REPORT_PROCESS
from .models import OUTSTANDING_STATES


def _text(entry):
    """As the report's page shows it: amounts to the fen, the rows and their total."""
    if entry["type"] != "items":
        return entry.get("value", "")
    rows = ["; ".join(f"{k}: {v}" for k, v in row.items() if v not in (None, "")) for row in entry["rows"]]
    return "\n".join(rows + [f"{_('Total')}: {plain(entry['total'])}"])


def _fields(report):
    return [(_("organisation"), report.organisation.name), (_("period"), report.period.title),
            (_("due on"), report.due_on.isoformat()),
            *[(entry["label"], _text(entry)) for entry in answer_entries(report.kind.fields, report.data)]]


def _documents(report, user):
    if report.state in OUTSTANDING_STATES:
        return []
    return [{"kind": "report", "title": str(report), "url": reverse("congress:report_pdf", args=[report.pk])}]


register_case_api(REPORT_PROCESS.key, CaseApi(fields=_fields, documents=_documents))
register_figures("coverage", WORK_PLAN.as_api, title=_("Work plan coverage"))
