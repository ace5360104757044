"""Documents a page renders in the request (award list, public notice, the
A3 form, a report, a result sheet ...), rendered once per content.

The key is the SHA-256 of everything that decides the PDF: the document's
HTML (its template, data and CSS are all in it: the print templates inline
their styles and images) and the renderer's fingerprint (WeasyPrint's and
pydyf's versions and the font files the CJK stack resolves to). Same key,
same PDF: the first request renders and stores it, later ones read it. A
change of content (a name edited, an entry added, the date printed on the
list) is a new key and a new render; a stale entry is never served.

Entries live in the private storage (settings.PRIVATE_STORAGE_ROOT, folder
`document-cache/`), named by their key, so the cache is reachable only
through the view that computed the key from what its user may see: a view
checks access first, then asks for the PDF. A file is written under a
temporary name and renamed into place, so a crash never leaves a half file
under a key. Reading an entry marks it used (its mtime, at most once an
hour); `manage.py prune_document_cache` (a daily job of run_scheduler)
deletes entries unused for UNIONFLOW_DOCUMENT_CACHE_DAYS days.

A document carrying a full ID number (or anything else a view marks
`private=True`) is never stored: rendered for that request, sent with
`Cache-Control: no-store`, kept nowhere. The other entries hold what the
documents print (names, units, masked ID numbers): the same protection as
the private storage, gone after the retention above, and the whole cache is
kept under UNIONFLOW_DOCUMENT_CACHE_MAX_MB (the entries read longest ago go
first, checked after a write at most every CAP_CHECK_SECONDS and by the
daily prune)."""

import functools
import hashlib
import os
import subprocess
import tempfile
import time
from importlib.metadata import version as package_version
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import content_disposition_header, parse_etags

from workflows.documents import rendering

CACHE_FOLDER = "document-cache"
# Part of every key: bump it when what a key covers changes, so entries
# written under the old rule are never read again (and are pruned).
KEY_FORMAT = "unionflow-pdf-cache/1"
# An entry read is marked used at most this often (one write an hour, not
# one a request).
TOUCH_AFTER_SECONDS = 3600
# A temporary file this old was left by a crash during a write.
ABANDONED_TEMP_SECONDS = 3600
TEMP_PREFIX = ".tmp-"
# How often a process walks the cache after a write to keep it under its cap.
CAP_CHECK_SECONDS = 300
_last_cap_check = [0.0]


def font_families():
    return [part.strip().strip('"') for part in rendering.FONT_STACK.split(",") if part.strip()]


def _fontconfig(*args):
    try:
        return subprocess.run(
            list(args), capture_output=True, text=True, timeout=10, check=False
        ).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return []


def _font_files(family):
    """The files fontconfig resolves `family` to (what Pango draws with:
    the best match, and every face of the family, bold included), each with
    its size and mtime; nothing when fontconfig cannot be asked."""
    files = set(_fontconfig("fc-match", "-f", "%{file}", family))
    files.update(line.strip().rstrip(":") for line in _fontconfig("fc-list", family, "file"))
    found = []
    for name in sorted(f for f in files if f):
        try:
            stat = os.stat(name)
        except OSError:
            found.append(name)
        else:
            found.append(f"{name}:{stat.st_size}:{int(stat.st_mtime)}")
    return ",".join(found)


@functools.lru_cache(maxsize=1)
def renderer_fingerprint():
    """What besides the HTML decides the PDF, worked out once per process
    (WeasyPrint loads its fonts once per process as well: a font installed
    later is seen by both after a restart)."""
    # Versions from the installed metadata: a cache hit never imports
    # WeasyPrint (seconds of a process's first request).
    parts = [KEY_FORMAT, *(f"{name} {package_version(name)}" for name in ("weasyprint", "pydyf"))]
    parts += [f"{family} -> {_font_files(family)}" for family in font_families()]
    return "\n".join(parts)


def content_key(html):
    digest = hashlib.sha256()
    digest.update(renderer_fingerprint().encode())
    digest.update(b"\0")
    digest.update(html.encode())
    return digest.hexdigest()


def cache_root():
    return Path(settings.PRIVATE_STORAGE_ROOT) / CACHE_FOLDER


def entry_path(key):
    # 256 subfolders: no folder grows to hundreds of thousands of names.
    return cache_root() / key[:2] / f"{key}.pdf"


def _write_atomically(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        # Atomic on one file system: a reader sees no file or the whole one.
        # Two requests rendering the same key at once write the same bytes.
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


def _mark_used(path, fileno):
    if time.time() - os.fstat(fileno).st_mtime > TOUCH_AFTER_SECONDS:
        try:
            os.utime(path)
        except OSError:  # pruned meanwhile: the open file still reads whole
            pass


def pdf_of(html, key=None):
    """(key, the PDF of `html`): the stored entry, or, on a miss, a fresh
    render, stored and returned. The caller has checked the reader's access
    to what `html` shows."""
    key = key or content_key(html)
    path = entry_path(key)
    try:
        # Open, not test-then-open: an entry pruned in between is a miss,
        # and an entry opened stays whole while it is read.
        with open(path, "rb") as f:
            _mark_used(path, f.fileno())
            return key, f.read()
    except FileNotFoundError:
        pass
    data = rendering.html_to_pdf(html)
    _write_atomically(path, data)
    if time.time() - _last_cap_check[0] > CAP_CHECK_SECONDS:
        _last_cap_check[0] = time.time()
        enforce_cap(max_bytes=max_cache_bytes())
    return key, data


def max_cache_bytes():
    return int(getattr(settings, "UNIONFLOW_DOCUMENT_CACHE_MAX_MB", 500)) * 1024 * 1024


def pdf_response(request, html, filename, *, as_attachment=False, private=False):
    """The PDF of `html` as a response, for a view that has checked access.
    ETag: the key. The browser may keep a copy but asks again every time
    (`no-cache`), so the view's check runs on every request; an unchanged
    document is then a 304 without reading the entry. `private`: the
    document carries what must not be kept (a full ID number): rendered
    afresh, stored nowhere, `no-store` for the browser too."""
    if private:
        response = HttpResponse(rendering.html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
        response["Cache-Control"] = "no-store"
        return response
    key = content_key(html)
    etag = f'"{key}"'
    if request.method in ("GET", "HEAD") and etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        # Whole in memory (a document of a page is a few MB at most): the
        # entry is closed before the response leaves.
        response = HttpResponse(pdf_of(html, key)[1], content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def _entries(root):
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if entry.name.startswith(TEMP_PREFIX):
                continue
            try:
                yield entry, entry.stat()
            except FileNotFoundError:
                continue


def enforce_cap(*, max_bytes):
    """Delete the entries read longest ago until the cache holds at most
    `max_bytes`. Returns (files deleted, bytes freed)."""
    root = cache_root()
    if not root.is_dir():
        return 0, 0
    entries = sorted(_entries(root), key=lambda pair: pair[1].st_mtime)
    total = sum(stat.st_size for _e, stat in entries)
    deleted = freed = 0
    for entry, stat in entries:
        if total <= max_bytes:
            break
        try:
            entry.unlink()
        except FileNotFoundError:
            continue
        total -= stat.st_size
        deleted += 1
        freed += stat.st_size
    return deleted, freed


def prune(*, max_age_days, now=None, max_bytes=None):
    """Delete the entries not read for `max_age_days` days, temporary files
    a crash left behind, and then, with `max_bytes`, the entries read
    longest ago beyond that size. Returns (files deleted, bytes freed)."""
    now = time.time() if now is None else now
    root = cache_root()
    if not root.is_dir():
        return 0, 0
    oldest = now - max_age_days * 86400
    deleted = freed = 0
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            try:
                stat = entry.stat()
            except FileNotFoundError:
                continue
            temp = entry.name.startswith(TEMP_PREFIX)
            if (temp and stat.st_mtime < now - ABANDONED_TEMP_SECONDS) or (not temp and stat.st_mtime < oldest):
                try:
                    entry.unlink()
                except FileNotFoundError:
                    continue
                deleted += 1
                freed += stat.st_size
    # The (at most 256) folders stay: a writer may be about to use one.
    if max_bytes is not None:
        more, more_bytes = enforce_cap(max_bytes=max_bytes)
        deleted, freed = deleted + more, freed + more_bytes
    return deleted, freed
