#!/usr/bin/env python
"""Load benchmark of the web pages, printed as a table.

    .venv/bin/python bench/web.py                  # 500 organisations, 10,000 cases, 40 reviewers, 60 s
    .venv/bin/python bench/web.py --rebuild        # grow the database again from nothing
    .venv/bin/python bench/web.py --cases 2000     # a smaller demo (quicker to grow)

1. The database: its own PostgreSQL database (--db, default unionflow_bench
   at 127.0.0.1:5432, user postgres), migrated, seeded and grown to size
   with `manage.py grow_demo --orgs N --cases N` (through the services;
   safe to run again: a database at size is reused as it is). The grown
   database is never served itself: each run serves a fresh copy of it
   (CREATE DATABASE ... TEMPLATE), so every run starts from the same cases
   and a second run needs no new growth. synchronous_commit is off on the
   grown database only, while it grows; the copy runs with the defaults.
2. The server: gunicorn, 2 sync workers, on 127.0.0.1 on a free port, with
   the production settings (UNIONFLOW_ENV=production, DEBUG off, a random
   SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, persistent connections
   CONN_MAX_AGE=60, Redis for the cache and rate limits when it answers at
   127.0.0.1:6379) except SECURE_SSL_REDIRECT=0 (plain HTTP on the local
   hop, as behind the proxy) and the dummy e-mail backend (no SMTP here).
   Nothing about login throttling changes: the users log in once each with
   the right password, which django-axes never counts.
3. The load: locust headless (bench/locustfile_web.py), for --seconds:
   --users reviewers, each logged in (before the run, one after the other:
   40 Argon2 logins at once would stall both workers for the window's first
   seconds) as an intermediate union's reviewer of their own (their own
   inbox: no two users decide the same case), looping
   inbox → case page → decision with 0.5–1.5 s between requests; and as
   many users at the same pace on /healthz (one trivial query), in the
   same run, as the yardstick.
4. The table: per page, requests, failures, requests per second, p50, p95,
   p99 (ms); the error count; inbox p95 / healthz p95; PASS or FAIL against
   the targets (0 errors, inbox p95 <= 4 x healthz p95). gunicorn is
   stopped at the end, whatever happened."""

import argparse
import csv
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.dirname(os.path.abspath(sys.executable))
PG = "postgres://postgres@127.0.0.1:5432/"
DEMO_PASSWORD = "demo-2024"  # awards.demo_accounts
PAGES = ["inbox", "case page", "decision", "healthz"]


def psql(sql, db="postgres"):
    """One statement through psycopg (autocommit: CREATE DATABASE may not run in a transaction)."""
    import psycopg

    with psycopg.connect(PG + db, autocommit=True) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else None


def manage(db, *args, env=None):
    env = {**os.environ, "UNIONFLOW_ENV": "development", "DATABASE_URL": PG + db, **(env or {})}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(args):
    """The grown database (made or grown as needed), then the copy served."""
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{args.db}'")
    if exists and args.rebuild:
        psql(f"DROP DATABASE {args.db}")
        exists = None
    if not exists:
        psql(f"CREATE DATABASE {args.db}")
    # Demo data: a crash losing the last commits costs nothing.
    psql(f"ALTER DATABASE {args.db} SET synchronous_commit = off")
    started = time.perf_counter()
    manage(args.db, "migrate", "--noinput", "-v0")
    manage(args.db, "grow_demo", "--orgs", str(args.orgs), "--cases", str(args.cases), "--jobs", str(args.grow_jobs))
    print(f"Database {args.db} at size ({time.perf_counter() - started:.0f} s to check or grow).", flush=True)
    run_db = f"{args.db}_run"
    psql(f"DROP DATABASE IF EXISTS {run_db}")
    psql(f"CREATE DATABASE {run_db} TEMPLATE {args.db}")
    return run_db


def server_env(run_db, var_dir):
    env = {
        **os.environ,
        "UNIONFLOW_ENV": "production", "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "DATABASE_URL": PG + run_db,
        "CONN_MAX_AGE": "60", "VAR_DIR": var_dir, "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING", "STATIC_ROOT": os.path.join(ROOT, "var", "bench-static"),
    }
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        env["REDIS_URL"] = "redis://127.0.0.1:6379/11"
    except OSError:
        env.pop("REDIS_URL", None)
    return env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def log_in(host, users, path):
    """Each reviewer logged in once, before the run; their cookies saved
    for the locust users (bench/locustfile_web.py). Returns seconds taken."""
    import json
    import re

    import requests

    started = time.perf_counter()
    sessions = {}
    for number in range(1, users + 1):
        username = f"grow_i{number:02d}_review"
        client = requests.Session()
        page = client.get(f"{host}/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        # The production cookies are Secure; this hop is plain HTTP (see the locustfile).
        for cookie in client.cookies:
            cookie.secure = False
        response = client.post(f"{host}/login/", allow_redirects=False, headers={"Referer": f"{host}/login/"},
                               data={"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token})
        if response.status_code != 302:
            raise RuntimeError(f"{username} could not log in: HTTP {response.status_code}")
        sessions[username] = {cookie.name: cookie.value for cookie in client.cookies}
    with open(path, "w") as f:
        json.dump(sessions, f)
    return time.perf_counter() - started


def read_stats(prefix):
    with open(f"{prefix}_stats.csv", newline="") as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def report(stats, seconds):
    headers = ("Page", "Requests", "Failures", "req/s", "p50 ms", "p95 ms", "p99 ms")
    rows = []
    for name in PAGES + ["Aggregated"]:
        row = stats.get(name)
        if row is None:
            continue
        rows.append((name if name != "Aggregated" else "all", row["Request Count"], row["Failure Count"],
                     f"{float(row['Requests/s']):.1f}", row["50%"], row["95%"], row["99%"]))
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    print()
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print("+".join("-" * (w + 2) for w in widths))
    for row in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(row, widths)))
    errors = int(stats["Aggregated"]["Failure Count"]) if "Aggregated" in stats else -1
    inbox_p95 = float(stats["inbox"]["95%"]) if "inbox" in stats else float("nan")
    health_p95 = float(stats["healthz"]["95%"]) if "healthz" in stats else float("nan")
    ratio = inbox_p95 / health_p95 if health_p95 else float("inf")
    decisions = int(stats["decision"]["Request Count"]) - int(stats["decision"]["Failure Count"]) if "decision" in stats else 0
    print()
    print(f"Errors: {errors} (target 0): {'PASS' if errors == 0 else 'FAIL'}")
    print(f"Inbox p95 / healthz p95: {inbox_p95:.0f} / {health_p95:.0f} ms = {ratio:.1f} (target <= 4): "
          f"{'PASS' if ratio <= 4 else 'FAIL'}")
    print(f"Decisions taken: {decisions} in {seconds} s.")
    return errors == 0 and ratio <= 4


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="unionflow_bench", help="the grown database (default unionflow_bench)")
    parser.add_argument("--orgs", type=int, default=500)
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--grow-jobs", type=int, default=1, help="processes growing the demo (grow_demo --jobs)")
    parser.add_argument("--rebuild", action="store_true", help="drop the grown database and grow it again")
    parser.add_argument("--users", type=int, default=40, help="reviewers (and as many healthz users)")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    run_db = prepare_database(args)
    var_dir = tempfile.mkdtemp(prefix="unionflow-bench-web-")
    env = server_env(run_db, var_dir)
    server = None
    try:
        # The production storage serves hashed static names from collectstatic's manifest.
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                       check=True)
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [os.path.join(VENV_BIN, "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True,
        )
        wait_for(f"{host}/healthz", 120)
        sessions = os.path.join(var_dir, "sessions.json")
        print(f"{args.users} reviewers logged in, one after the other, in {log_in(host, args.users, sessions):.1f} s "
              f"(before the measured run).", flush=True)
        print(f"gunicorn ({args.workers} workers) on {host}, database {run_db}; "
              f"{args.users} reviewers and {args.users} healthz users for {args.seconds} s; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.", flush=True)
        prefix = os.path.join(var_dir, "locust")
        subprocess.run(
            [os.path.join(VENV_BIN, "locust"), "-f", os.path.join(ROOT, "bench", "locustfile_web.py"), "--headless",
             "-u", str(2 * args.users), "-r", str(max(1, args.users // 2)), "-t", f"{args.seconds}s",
             "--stop-timeout", "10", "--host", host, "--csv", prefix, "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env={**os.environ, "BENCH_REVIEWERS": str(args.users), "BENCH_SESSIONS": sessions},
            timeout=args.seconds + 120, check=False,
        )
        ok = report(read_stats(prefix), args.seconds)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        shutil.rmtree(var_dir, ignore_errors=True)
        try:
            psql(f"DROP DATABASE IF EXISTS {run_db} WITH (FORCE)")
        except Exception as exc:  # the report matters more than the clean-up
            print(f"(could not drop {run_db}: {exc})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
