#!/usr/bin/env python
"""Benchmark of certificate printing (issue 3), printed as a table.

    .venv/bin/python bench/certificates.py            # 1,000 certificates, and 5,000 for memory
    .venv/bin/python bench/certificates.py --quick    # 1,000 only

Runs standalone: a throwaway SQLite database and storage in a temporary
directory (DATABASE_URL is ignored), N certificates of the demo layout (the
individual medal) with varied Chinese names. Each measurement runs in its
own child process so that its peak RSS is its own:

  batch     the project's batch printing (workflows.documents.printing: chunks rendered
            in a process pool and joined in order with pypdf), reading the
            certificates from the database as the job does;
  baseline  the same template rendered as one plain WeasyPrint document
            (Django template + HTML(...).write_pdf(), one process);
  separate  one document per certificate, timed on a sample (default 30)
            and reported per certificate.

Peak RSS: ru_maxrss of each process (the parent and every pool worker, each
reporting its own), i.e. the largest resident size any one process reached.
PDF size per certificate beyond the first: (size of N − size of 1) / (N − 1),
both printed by the batch code."""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅文辉鹏飞海燕雪琳晓东春生光荣福德振兴家宝俊峰云龙天佑"


def setup_django(var_dir):
    sys.path.insert(0, ROOT)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["VAR_DIR"] = var_dir
    os.environ["PRIVATE_STORAGE_ROOT"] = os.path.join(var_dir, "private")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_certificates(n):
    """N certificates of the demo layout in the throwaway database."""
    import datetime

    from django.contrib.contenttypes.models import ContentType

    from workflows.models import Certificate, Organisation

    org = Organisation.objects.create(name="示范区总工会", code="bench-district", kind="district")
    ct = ContentType.objects.get_for_model(Organisation)
    Certificate.objects.bulk_create(
        [
            Certificate(
                series="bench",
                sequence=i,
                number=f"涪工奖〔2024〕第{i:04d}号",
                holder_name=SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 13) % len(GIVEN)],
                award_title="五一劳动奖章",
                issuer="示范区总工会",
                issued_on=datetime.date(2024, 4, 28),
                layout="individual",
                content_type=ct,
                object_id=i,
                owner_organisation=org,
            )
            for i in range(1, n + 1)
        ],
        batch_size=1000,
    )


def phase(name, n, var_dir, sample, processes):
    """One measurement, in this (child) process; prints a JSON line."""
    setup_django(var_dir)
    from workflows.documents.rendering import certificates_html, html_to_pdf
    from workflows.models import Certificate
    from workflows.documents.printing import print_certificates

    ids = list(Certificate.objects.filter(series="bench").order_by("sequence").values_list("pk", flat=True)[:n])
    out_path = os.path.join(var_dir, f"{name}-{n}.pdf")
    result = {"phase": name, "n": len(ids)}
    started = time.perf_counter()
    if name == "batch":
        with open(out_path, "wb") as out:
            batch = print_certificates(ids, out, processes=processes)
        result["pages"] = batch.pages
        result["chunks"] = batch.chunks
        result["processes"] = batch.processes
        result["worker_peak_rss_mb"] = max(batch.worker_peak_rss_kb.values()) / 1024
    elif name == "baseline":
        certificates = list(Certificate.objects.filter(pk__in=ids).order_by("sequence"))
        with open(out_path, "wb") as out:
            out.write(html_to_pdf(certificates_html(certificates)))
    elif name == "separate":
        certificates = list(Certificate.objects.filter(pk__in=ids[:sample]).order_by("sequence"))
        html_to_pdf(certificates_html(certificates[:1]))  # the first load of fonts is not per certificate
        started = time.perf_counter()
        for certificate in certificates:
            html_to_pdf(certificates_html([certificate]))
        result["n"] = len(certificates)
    result["seconds"] = time.perf_counter() - started
    result["parent_peak_rss_mb"] = peak_rss_mb()
    if name != "separate":
        result["bytes"] = os.path.getsize(out_path)
        os.unlink(out_path)
    print(json.dumps(result))


def run_phase(name, n, var_dir, args):
    command = [
        sys.executable, os.path.abspath(__file__), "--phase", name, "--n", str(n), "--var-dir", var_dir,
        "--sample", str(args.sample),
    ]
    if args.processes:
        command += ["--processes", str(args.processes)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="certificates in the main run (default 1000)")
    parser.add_argument("--large", type=int, default=5000, help="certificates in the memory run (default 5000)")
    parser.add_argument("--quick", action="store_true", help="skip the large memory run")
    parser.add_argument("--sample", type=int, default=30, help="certificates rendered one document each (default 30)")
    parser.add_argument("--processes", type=int, default=None, help="pool size (default: the setting, i.e. the cores)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        return phase(args.phase, args.n, args.var_dir, args.sample, args.processes)

    with tempfile.TemporaryDirectory(prefix="unionflow-bench-") as var_dir:
        setup_django(var_dir)
        from django.conf import settings
        from django.core.management import call_command

        from workflows.documents.printing import chunk_size, pool_size

        call_command("migrate", verbosity=0)
        total = max(args.n, 0 if args.quick else args.large)
        make_certificates(total)
        print(
            f"UnionFlow certificate printing, demo layout (individual medal, A4 landscape, QR code, Noto Serif CJK SC); "
            f"{os.cpu_count()} cores, pool of {args.processes or pool_size()} processes, chunks of {chunk_size()}, "
            f"WeasyPrint {__import__('weasyprint').__version__}, {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}.",
            flush=True,
        )
        one = run_phase("batch", 1, var_dir, args)
        batch = run_phase("batch", args.n, var_dir, args)
        baseline = run_phase("baseline", args.n, var_dir, args)
        separate = run_phase("separate", args.n, var_dir, args)
        large = None if args.quick or args.large <= args.n else run_phase("batch", args.large, var_dir, args)

    n = args.n
    batch_ms = 1000 * batch["seconds"] / n
    base_ms = 1000 * baseline["seconds"] / n
    sep_ms = 1000 * separate["seconds"] / separate["n"]
    ratio = batch_ms / base_ms
    speedup = sep_ms / batch_ms
    batch_rss = max(batch["parent_peak_rss_mb"], batch["worker_peak_rss_mb"])
    per_cert_kb = (batch["bytes"] - one["bytes"]) / (n - 1) / 1024

    rows = [
        ("Batch printing (project)", f"{n}", f"{batch['seconds']:.2f} s", f"{batch_ms:.1f}",
         f"{batch['parent_peak_rss_mb']:.0f} / {batch['worker_peak_rss_mb']:.0f}", f"{batch['bytes'] / 1024:.0f} KB"),
        ("One WeasyPrint document (baseline)", f"{n}", f"{baseline['seconds']:.2f} s", f"{base_ms:.1f}",
         f"{baseline['parent_peak_rss_mb']:.0f}", f"{baseline['bytes'] / 1024:.0f} KB"),
        (f"One document each (sample of {separate['n']})", f"{separate['n']}", f"{separate['seconds']:.2f} s",
         f"{sep_ms:.1f}", f"{separate['parent_peak_rss_mb']:.0f}", "-"),
    ]
    if large:
        large_rss = max(large["parent_peak_rss_mb"], large["worker_peak_rss_mb"])
        rows.append(
            ("Batch printing, large", f"{large['n']}", f"{large['seconds']:.2f} s",
             f"{1000 * large['seconds'] / large['n']:.1f}",
             f"{large['parent_peak_rss_mb']:.0f} / {large['worker_peak_rss_mb']:.0f}", f"{large['bytes'] / 1024:.0f} KB")
        )
    headers = ("Run", "Certificates", "Wall", "ms / cert", "Peak RSS MB (parent / worker)", "PDF")
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    line = "+".join("-" * (w + 2) for w in widths)
    print()
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print(line)
    for row in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(row, widths)))
    print()

    checks = [
        ("Batch / baseline wall per certificate", f"{ratio:.2f}", "<= 0.65", ratio <= 0.65),
        ("Speed-up over one document each", f"{speedup:.1f}x", ">= 8x", speedup >= 8),
        (f"Peak RSS of any one process at {n}", f"{batch_rss:.0f} MB", "<= 500 MB", batch_rss <= 500),
        ("PDF per certificate beyond the first", f"{per_cert_kb:.2f} KB", "<= 5 KB", per_cert_kb <= 5),
    ]
    if large:
        checks.append((f"Peak RSS of any one process at {large['n']}", f"{large_rss:.0f} MB", "<= 500 MB", large_rss <= 500))
    cw = [max(len(c[i]) for c in checks) for i in range(3)]
    print(f"{'Target'.ljust(cw[0])} | {'Measured'.ljust(cw[1])} | {'Goal'.ljust(cw[2])} | Met")
    print("+".join("-" * (w + 2) for w in cw + [4]))
    for name, value, goal, ok in checks:
        print(f"{name.ljust(cw[0])} | {value.ljust(cw[1])} | {goal.ljust(cw[2])} | {'yes' if ok else 'NO'}")
    print(
        f"\nPDF of 1 certificate: {one['bytes'] / 1024:.0f} KB (fonts subset once per chunk). "
        f"Separate documents were timed on {separate['n']} certificates after one warm-up render."
    )
    return 0 if all(c[3] for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
