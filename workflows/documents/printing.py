"""Batch printing of certificates: chunks rendered in parallel processes and
joined in order into one PDF.

Memory stays bounded whatever the batch size: the parent builds the HTML of
at most a few chunks ahead of the pool, each worker renders one chunk at a
time into a temporary file, and the join streams those files into the
output. The pool's size is UNIONFLOW_PRINT_PROCESSES (default: the number of
cores); the chunk size UNIONFLOW_PRINT_CHUNK. The same code serves the
background job (workflows.documents.tasks), the command line and the benchmark."""

import collections
import multiprocessing
import os
import shutil
import tempfile
from dataclasses import dataclass, field

from django.conf import settings

from workflows.documents import pdfworker
from workflows.documents.rendering import certificates_html
from workflows.models import Certificate

# Each chunk embeds its own subset of the CJK fonts (about 300 KB for a
# hundred names), so chunks are as large as memory comfortably allows: a
# worker rendering 125 certificates peaks near 200 MB.
DEFAULT_CHUNK = 125


def pool_size():
    configured = getattr(settings, "UNIONFLOW_PRINT_PROCESSES", None)
    return max(1, int(configured or os.cpu_count() or 1))


def chunk_size():
    return max(1, int(getattr(settings, "UNIONFLOW_PRINT_CHUNK", None) or DEFAULT_CHUNK))


def _context():
    """Worker processes come from a forkserver: safe to start from a
    threaded server or worker (no fork of a process holding locks or DB
    connections), and cheap per child once the server has imported
    WeasyPrint."""
    method = getattr(settings, "UNIONFLOW_PRINT_START_METHOD", None) or "forkserver"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["workflows.documents.pdfworker", "weasyprint"])
    return ctx


class ChunkTimeout(RuntimeError):
    """A chunk did not come back within UNIONFLOW_PRINT_CHUNK_TIMEOUT: its
    worker process was most likely killed (out of memory)."""


@dataclass
class BatchResult:
    pages: int = 0
    chunks: int = 0
    processes: int = 1
    # Peak RSS (KB) of each process that rendered, by pid; the parent's own
    # peak is measured by the caller (it includes the join).
    worker_peak_rss_kb: dict = field(default_factory=dict)


def plan_chunks(total, workers, largest):
    """The chunk size: at most `largest`, and, with a pool, a number of
    chunks that is a multiple of the pool's size so that every worker gets
    the same share (no worker left idle for the last chunk)."""
    if total <= 0:
        return largest
    per_round = workers if workers > 1 else 1
    count = per_round * -(-total // (per_round * largest))
    return -(-total // count)


def _chunks(ids, size):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _chunk_html(ids):
    by_pk = Certificate.objects.in_bulk(ids)
    return certificates_html([by_pk[pk] for pk in ids if pk in by_pk])


def page_counter():
    """A counter the rendering processes add each laid-out page to (read by
    the job's heartbeat: progress finer than a chunk)."""
    return _context().Value("i", 0)


def print_certificates(certificate_ids, output, *, progress=None, processes=None, chunk=None, laid_out=None):
    """Render the certificates `certificate_ids` (in that order) into one PDF
    written to `output` (a path or a binary file object), a page each.
    `progress(done, total)` is called as chunks are joined; an exception it
    raises stops the batch (the pool is terminated). `laid_out` (from
    page_counter()) counts pages as they are laid out, in whichever process.
    Returns a BatchResult."""
    from pypdf import PdfWriter

    ids = list(certificate_ids)
    total = len(ids)
    if not total:
        raise ValueError("Nothing to print.")
    largest = chunk or chunk_size()
    workers = min(processes or pool_size(), max(1, -(-total // largest)))
    size = plan_chunks(total, workers, largest)
    result = BatchResult(processes=workers)
    base_url = str(settings.BASE_DIR)
    tmpdir = tempfile.mkdtemp(prefix="unionflow-print-")
    writer = PdfWriter()
    done = 0

    def join(rendered):
        nonlocal done
        writer.append(rendered["path"])
        result.pages += rendered["pages"]
        result.chunks += 1
        result.worker_peak_rss_kb[rendered["pid"]] = max(
            rendered["peak_rss_kb"], result.worker_peak_rss_kb.get(rendered["pid"], 0)
        )
        done += rendered["pages"]
        if progress is not None:
            progress(min(done, total), total)

    try:
        if progress is not None:
            progress(0, total)
        if workers <= 1:
            pdfworker.count_pages_into(laid_out)
            try:
                for ids_chunk in _chunks(ids, size):
                    join(pdfworker.render_chunk(_chunk_html(ids_chunk), base_url, tmpdir))
            finally:
                if laid_out is not None:
                    pdfworker.count_pages_into(None)
        else:
            # A window of chunks in flight: enough to keep every worker
            # busy, few enough that the HTML waiting for them stays small.
            # The HTML is built here, in the thread that owns the DB
            # connection; results are joined in submission order.
            counting = {"initializer": pdfworker.count_pages_into, "initargs": (laid_out,)} if laid_out is not None else {}
            with _context().Pool(
                workers, maxtasksperchild=getattr(settings, "UNIONFLOW_PRINT_MAXTASKS", 20), **counting
            ) as pool:
                # A worker killed mid-chunk (out of memory) loses its task
                # without an error: the timeout turns that into a failure.
                timeout = getattr(settings, "UNIONFLOW_PRINT_CHUNK_TIMEOUT", 900)

                def collect(async_result):
                    try:
                        join(async_result.get(timeout))
                    except multiprocessing.TimeoutError:
                        raise ChunkTimeout(
                            f"A chunk of {size} certificates took longer than {timeout} s "
                            "(a worker process may have been killed)."
                        ) from None

                pending = collections.deque()
                for ids_chunk in _chunks(ids, size):
                    if len(pending) >= 2 * workers:
                        collect(pending.popleft())
                    pending.append(pool.apply_async(pdfworker.render_chunk, (_chunk_html(ids_chunk), base_url, tmpdir)))
                while pending:
                    collect(pending.popleft())
        writer.write(output)
    finally:
        writer.close()
        shutil.rmtree(tmpdir, ignore_errors=True)
    return result
