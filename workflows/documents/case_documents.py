"""A case's document printed from the command line exactly as its page
prints it (a result sheet, a sheet of slips): the process registers, by
name, the function its page calls for each format, and the engine's
command `manage.py export_case_document` finds the case by its code and
writes what the function returns. The function refuses as it refuses
the page (RuleViolation: not in this state; AlreadyHandled: the case
moved), which the command says as its error."""

from dataclasses import dataclass
from typing import Callable, Mapping

_DOCUMENTS = {}


@dataclass(frozen=True)
class CaseDocument:
    name: str
    title: str  # for the command's last line: "<title> of <case> written to <file>"
    formats: Mapping[str, Callable]  # format → render(case) → bytes
    lookup: str = "code"  # the field the command finds the case by


def register_case_document(process_key, document):
    _DOCUMENTS[(process_key, document.name)] = document


def case_document(process_key, name):
    """The registered document, or None."""
    return _DOCUMENTS.get((process_key, name))
