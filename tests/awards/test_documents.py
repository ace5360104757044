"""May Day's paper tests moved onto the May Day kinds
(tests/awards/kinds/test_mayday_papers.py). Kept only for `pdf_text`, which
kinds tests still import from here: they should import it from
tests.workflows.test_documents, and then this file goes."""

from tests.workflows.test_documents import pdf_text

__all__ = ["pdf_text"]
