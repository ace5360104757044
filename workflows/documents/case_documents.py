"""A case's document as its page offers it and as the command line prints
it (a result sheet, a sheet of slips), the same bytes both ways: the
process registers, by name, its functions for each format, and the engine
serves the page's download (`document_response`: the PDF rendered once
per content where the process gives its HTML) and runs the command
`manage.py export_case_document`, which finds the case by its code and
writes what the function returns. `check(case)` refuses a case that has no
such document yet (RuleViolation: said on the case's page, or as the
command's error), as do the functions (AlreadyHandled: the case moved)."""

from dataclasses import dataclass
from typing import Callable, Mapping, Optional

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header

from workflows.exceptions import RuleViolation

from . import pdf_cache
from .xlsx import XLSX_CONTENT_TYPE

_DOCUMENTS = {}
CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": XLSX_CONTENT_TYPE}


@dataclass(frozen=True)
class CaseDocument:
    name: str
    title: str  # for the command's last line: "<title> of <case> written to <file>"
    formats: Mapping[str, Callable]  # format → render(case) → bytes
    lookup: str = "code"  # the field the command finds the case by
    check: Optional[Callable] = None  # case → None, or RuleViolation: the case has no such document yet
    html: Optional[Callable] = None  # case → the HTML of the page's PDF, rendered once per content

    def filename(self, case, fmt):
        return f"{getattr(case, self.lookup)}-{self.name}.{fmt}"


def register_case_document(process_key, document):
    _DOCUMENTS[(process_key, document.name)] = document


def case_document(process_key, name):
    """The registered document, or None."""
    return _DOCUMENTS.get((process_key, name))


def document_response(request, process_key, name, case, fmt):
    """The page's download of `case`'s document (the caller looked the case
    up in the user's scope): a download; a format it has not is a 404; a
    refusal is said on the case's page."""
    document = case_document(process_key, name)
    try:
        if document.check:
            document.check(case)
    except RuleViolation as refusal:
        messages.error(request, refusal.message)
        return redirect(case)
    if fmt not in document.formats:
        raise Http404()
    filename = document.filename(case, fmt)
    if fmt == "pdf" and document.html:
        return pdf_cache.pdf_response(request, document.html(case), filename, as_attachment=True)
    response = HttpResponse(document.formats[fmt](case), content_type=CONTENT_TYPES.get(fmt, "application/octet-stream"))
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
