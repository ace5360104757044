#!/usr/bin/env python
"""Benchmark of the documents a page renders in the request:
the first request of a document (its HTML, the WeasyPrint render, the
entry written) against later requests of the same content (the HTML and
its key, the entry read) and a browser's conditional request (304), each
through its real view with the test client, all in one run.

    .venv/bin/python bench/documents.py               # the demo's mayday-2024 (13 granted)

Runs standalone: a throwaway SQLite database and storage in a temporary
directory (DATABASE_URL is ignored), loaded with `seed_demo`. WeasyPrint is imported and warmed up
before the first measurement, so "first" is a render, not an import. The
cached figure is the median of --repeat requests."""

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def setup_django(var_dir):
    sys.path.insert(0, ROOT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["UNIONFLOW_ENV"] = "development"
    # The documents are measured, not the login: the district administrator
    # reads them without the second factor's set-up page in the way.
    os.environ["UNIONFLOW_SECOND_FACTOR"] = "0"
    os.environ["VAR_DIR"] = var_dir
    os.environ["PRIVATE_STORAGE_ROOT"] = os.path.join(var_dir, "private")
    # The demo's certificate PDFs stay queued (nobody runs the worker): not measured here.
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ.pop("DATABASE_URL", None)
    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: nobody ran collectstatic here
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed


def timed(client, url, **headers):
    started = time.perf_counter()
    response = client.get(url, **headers)
    elapsed = time.perf_counter() - started
    assert response.status_code in (200, 304), (url, response.status_code)
    return elapsed, response


def measure(client, name, url, repeat):
    from workflows.documents import pdf_cache, rendering

    renders = []
    real = rendering.html_to_pdf

    def counting(html):
        renders.append(1)
        return real(html)

    rendering.html_to_pdf = counting
    try:
        first, response = timed(client, url)
        size = len(response.content)
        cached = statistics.median(timed(client, url)[0] for _ in range(repeat))
        etag = response.get("ETag")
        # A document outside the cache (no ETag: rendered on every request)
        # is still timed, and shown as such.
        conditional = statistics.median(
            timed(client, url, HTTP_IF_NONE_MATCH=etag)[0] for _ in range(repeat)
        ) if etag else None
    finally:
        rendering.html_to_pdf = real
    if etag:
        assert len(renders) == 1, f"{name}: rendered {len(renders)} times"
        assert pdf_cache.entry_path(etag.strip('"')).exists()
    else:
        name = f"{name} (not cached)"
    return {"name": name, "size": size, "first": first, "cached": cached, "conditional": conditional}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="cached requests per document (median)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="unionflow-bench-") as var_dir:
        setup_django(var_dir)
        import io
        import logging

        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        from awards.kinds.models import KindCampaign, KindCaseState
        from workflows.documents import pdf_cache
        from workflows.documents.rendering import html_to_pdf

        logging.getLogger("axes").setLevel(logging.WARNING)

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        print(f"demo loaded in {time.perf_counter() - started:.1f} s")
        # Once per process, outside the figures: WeasyPrint's import and
        # fonts, and the renderer's fingerprint (fontconfig asked).
        html_to_pdf("<p>warm-up</p>")
        pdf_cache.renderer_fingerprint()

        # The May Day award as campaign kinds (demo/mayday.py), its campaign by code.
        campaign = KindCampaign.objects.get(code="mayday-2024")
        granted = campaign.cases.filter(state=KindCaseState.GRANTED).order_by("pk")
        case = granted.first()
        client = Client()
        client.force_login(get_user_model().objects.get(username="qz_admin"))
        documents = [
            (f"award list ({granted.count()} granted)", reverse("kinds:approved_list", args=[campaign.pk, "pdf"])),
            ("public notice", reverse("kinds:notice_pdf", args=[campaign.pk])),
            ("printed application form", reverse("kinds:case_printed", args=[case.pk])),
        ]
        rows = [measure(client, name, url, args.repeat) for name, url in documents]

    print()
    print(f"{'document':<40} {'PDF':>8} {'first':>9} {'cached':>9} {'304':>9} {'first/cached':>13}")
    for r in rows:
        conditional = f"{r['conditional'] * 1000:>7.1f}ms" if r["conditional"] is not None else f"{'-':>9}"
        print(
            f"{r['name']:<40} {r['size'] / 1024:>6.0f}KB {r['first'] * 1000:>7.0f}ms {r['cached'] * 1000:>7.1f}ms "
            f"{conditional} {r['first'] / r['cached']:>12.0f}×"
        )


if __name__ == "__main__":
    main()
