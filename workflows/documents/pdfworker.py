"""The part of batch printing that runs in the pool's worker processes.

Kept free of Django: a worker gets finished HTML and writes a PDF file, so
it needs neither settings nor a database connection, and starts fast (the
forkserver preloads this module and WeasyPrint once)."""

import logging
import os
import resource
import tempfile

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _peak_rss_kb():
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def render_chunk(html, base_url, out_dir):
    """Render one chunk's HTML into a PDF file in `out_dir`. Returns the
    path, the page count and this process's peak RSS (KB) so far."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url).render()
    pages = len(document.pages)
    fd, path = tempfile.mkstemp(suffix=".pdf", dir=out_dir)
    with os.fdopen(fd, "wb") as out:
        document.write_pdf(out)
    del document
    return {"path": path, "pages": pages, "pid": os.getpid(), "peak_rss_kb": _peak_rss_kb()}

