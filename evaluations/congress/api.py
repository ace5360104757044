"""Reports to the workers' congress in the JSON API (workflows.api): the
list's filters, a report's content as its page shows it, its files; and
the work plan's coverage figures per year (the dashboard's own
computation, scoped as the dashboard). Registered from AppConfig.ready."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workflows.cases.lists import filtered_cases
from workflows.steps.registry import CaseApi, register_case_api, register_figures

from .closed_years import figures
from .declaration import REPORT_PROCESS
from .exports import plain
from .models import OUTSTANDING_STATES
from .schema import display_fields
from .selectors import coverage_scope_for


def _text(entry):
    if entry["type"] != "items":
        return entry.get("value", "")
    rows = ["; ".join(f"{k}: {v}" for k, v in row.items() if v not in (None, "")) for row in entry["rows"]]
    return "\n".join(rows + [f"{_('Total')}: {plain(entry['total'])}"])


def _fields(report):
    return [(_("organisation"), report.organisation.name), (_("period"), report.period.title),
            (_("due on"), report.due_on.isoformat()),
            *[(entry["label"], _text(entry)) for entry in display_fields(report.kind, report.data)]]


def _documents(report, user):
    shown = [{"kind": "attachment", "title": a.original_name,
              "url": reverse("congress:attachment", args=[report.pk, a.pk])}
             for a in report.attachment_files.all()]
    if report.state not in OUTSTANDING_STATES:
        shown.append({"kind": "report", "title": str(report), "url": reverse("congress:report_pdf", args=[report.pk])})
    return shown


def _figure(figure):
    value = figure.value
    return {"met": figure.met, "base": figure.base, "value": None if value is None else float(value),
            "reached": figure.reached}


def coverage_figures(user, year, branch_id):
    """The coverage dashboard's figures for `year`, in the user's scope (or
    the branch asked for, within it; else Http404): a closed year's frozen
    figures, as the dashboard shows them."""
    scope = coverage_scope_for(user, branch_id)
    data = figures(scope, year)
    branches = data["branches"]
    return {
        "scope": {"id": scope.pk, "name": scope.name},
        "targets": [
            {"code": entry["target"].code, "label": entry["target"].label, "unit": entry["target"].unit,
             "target": float(entry["target"].target), "overall": _figure(entry["overall"]),
             "rows": [{"branch": {"id": branches[i].pk, "name": branches[i].name} if branches[i] else None,
                       **_figure(figure)} for i, (_key, figure) in enumerate(entry["rows"])]}
            for entry in data["targets"]
        ],
    }


register_case_api(REPORT_PROCESS.key, CaseApi(
    cases=lambda user, params: filtered_cases(REPORT_PROCESS.key, user, params)[1], fields=_fields, documents=_documents,
    filters=(("state", _("status")), ("kind", _("report kind (id)")), ("period", _("reporting period (id)")),
             ("q", _("organisation name or code")), ("overdue", _("only overdue reports (any value)"))),
    # The union revises through its form (the report is edited), not a button.
    decision_steps=("check", "review", "archive"),
))
register_figures("coverage", coverage_figures, title=_("Work plan coverage"))
