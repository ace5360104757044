"""A report on paper: the archive's PDF (workflows.documents' WeasyPrint
helpers). Rendered on demand for any handed-in report; stored once, with
its SHA-256, when the district archives it."""

from django.utils import timezone

from workflows.audit import history_of
from workflows.background.outbox import register_outbox_handler
from workflows.documents.case_pdf import archive_case_pdf
from workflows.documents.rendering import render_html

from workflows.dataforms.completeness import answer_entries

from .models import Report


def report_html(report):
    return render_html("congress/report_print.html", {
        "report": report,
        "fields": answer_entries(report.kind.fields, report.data),
        "history": list(history_of(report)),
        "printed_on": timezone.localdate(),
    })


def archive_report_pdf(report_id):
    """Store the archived report's PDF unless it has one (the engine's
    workflows.documents.case_pdf)."""
    return archive_case_pdf(Report, report_id, html_of=report_html, kind="congress_report",
                            filename=lambda r: f"congress-report-{r.pk}.pdf", related=("kind", "organisation", "period"))


ARCHIVE_PDF = "congress.report_pdf"
register_outbox_handler(ARCHIVE_PDF, archive_report_pdf)
