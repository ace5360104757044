"""A case's own PDF (a report as handed in): rendered on demand while the
case moves, stored once with its SHA-256 when the case is archived, and
then always served as stored. The process gives the HTML; the engine
renders (once per content), stores and serves."""

from django.db import transaction
from django.http import FileResponse

from . import pdf_cache
from .rendering import html_to_pdf, store_document


def case_pdf_response(request, case, html_of, filename):
    """The stored PDF of an archived case (its `document`), else the PDF of
    `html_of(case)`, rendered once per content."""
    if case.document_id:
        return FileResponse(case.document.file.open("rb"), content_type="application/pdf", filename=filename)
    return pdf_cache.pdf_response(request, html_of(case), filename)


def archive_case_pdf(model, pk, *, html_of, kind, filename, related=()):
    """Store the case's PDF unless it has one. Idempotent: the row is
    locked and an existing document kept (run from the outbox, after the
    archiving decision committed)."""
    with transaction.atomic():
        case = model.objects.select_for_update().select_related(*related).get(pk=pk)
        if case.document_id:
            return case.document
        document = store_document(kind=kind, title=str(case)[:200], data=html_to_pdf(html_of(case)),
                                  filename=filename(case), subject=case)
        model.objects.filter(pk=case.pk).update(document=document)
        return document
