"""A report on paper: the archive's PDF (workflows.documents' WeasyPrint
helpers). Rendered on demand for any handed-in report; stored once, with
its SHA-256, when the district archives it."""

from django.db import transaction
from django.utils import timezone

from workflows.audit import history_of
from workflows.background.outbox import owe, register_outbox_handler
from workflows.documents.rendering import render_pdf, store_document

from .models import Report
from .schema import display_fields


def report_context(report):
    return {
        "report": report,
        "fields": display_fields(report.kind, report.data),
        "history": list(history_of(report)),
        "printed_on": timezone.localdate(),
    }


def report_pdf(report):
    return render_pdf("congress/report_print.html", report_context(report))


def archive_report_pdf(report_id):
    """Store the archived report's PDF unless it has one. Idempotent: the
    row is locked and an existing document kept."""
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("kind", "organisation", "period").get(pk=report_id)
        if report.document_id:
            return report.document
        document = store_document(
            kind="congress_report", title=str(report)[:200], data=report_pdf(report),
            filename=f"congress-report-{report.pk}.pdf", subject=report,
        )
        Report.objects.filter(pk=report.pk).update(document=document)
        return document


ARCHIVE_PDF = "congress.report_pdf"
register_outbox_handler(ARCHIVE_PDF, archive_report_pdf)


def owe_archive_pdf(report):
    """Inside the archiving transaction: the stored PDF is owed, recorded
    with the decision (the outbox), so a crash after the commit loses nothing."""
    return owe(ARCHIVE_PDF, report.pk)
