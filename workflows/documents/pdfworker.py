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


class _PageCounter(logging.Handler):
    """Counts the pages WeasyPrint lays out (its progress log names each
    page of the chunk) into a counter shared with the printing job, so the
    job's progress moves page by page, not only when a chunk is joined."""

    def __init__(self, counter):
        super().__init__(logging.INFO)
        self.counter = counter
        self.seen = 0  # the highest page of the current chunk counted

    def emit(self, record):
        if not str(record.msg).startswith("Step 5 - Creating layout - Page") or not record.args:
            return
        page = record.args[0]
        if isinstance(page, int) and page > self.seen:
            with self.counter.get_lock():
                self.counter.value += page - self.seen
            self.seen = page


_counting = None


def count_pages_into(counter):
    """Count laid-out pages into `counter` (a multiprocessing Value) from now
    on in this process; None stops counting. The pool's initializer."""
    global _counting
    progress_log = logging.getLogger("weasyprint.progress")
    if _counting is not None:
        progress_log.removeHandler(_counting)
        _counting = None
    if counter is None:
        progress_log.setLevel(logging.WARNING)
        progress_log.propagate = True
        return
    _counting = _PageCounter(counter)
    progress_log.addHandler(_counting)
    # INFO reaches the counter only: the log stays free of page-by-page noise.
    progress_log.setLevel(logging.INFO)
    progress_log.propagate = False


def render_chunk(html, base_url, out_dir):
    """Render one chunk's HTML into a PDF file in `out_dir`. Returns the
    path, the page count and this process's peak RSS (KB) so far."""
    from weasyprint import HTML

    if _counting is not None:
        _counting.seen = 0
    document = HTML(string=html, base_url=base_url).render()
    pages = len(document.pages)
    fd, path = tempfile.mkstemp(suffix=".pdf", dir=out_dir)
    with os.fdopen(fd, "wb") as out:
        document.write_pdf(out)
    del document
    return {"path": path, "pages": pages, "pid": os.getpid(), "peak_rss_kb": _peak_rss_kb()}

