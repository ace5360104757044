#!/usr/bin/env python
"""Load benchmark of the web pages: latency below capacity, and capacity.

    .venv/bin/python bench/web.py                  # 500 organisations, 10,000 cases, 40 reviewers
    .venv/bin/python bench/web.py --rebuild        # grow the database again from nothing
    .venv/bin/python bench/web.py --cases 2000     # a smaller demo (quicker to grow)

1. The machine: the run waits (up to --settle-seconds) for the one-minute
   load average to fall to --idle-load (default a quarter of the cores) and
   says so, or says that it could not and how busy the machine was: figures
   taken on a busy machine measure the neighbours. The load average is
   sampled through every measured run and printed with its table.
2. The database: its own PostgreSQL database (--db, default unionflow_bench
   at 127.0.0.1:5432, user postgres), migrated, seeded and grown to size
   with `manage.py grow_demo --orgs N --cases N` (through the services;
   safe to run again: a database at size is reused as it is). The grown
   database is never served itself: each measured run serves a fresh copy
   (CREATE DATABASE ... TEMPLATE), so every run starts from the same cases.
   synchronous_commit is off on the grown database only, while it grows;
   the copies run with the defaults.
3. The server: gunicorn with sync workers on 127.0.0.1 on a free port, with
   the production settings (UNIONFLOW_ENV=production, DEBUG off, a random
   SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, persistent connections
   CONN_MAX_AGE=60, Redis for the cache and rate limits when it answers at
   127.0.0.1:6379) except SECURE_SSL_REDIRECT=0 (plain HTTP on the local
   hop, as behind the proxy) and the dummy e-mail backend (no SMTP here).
   The users log in once each with the right password before a run (never
   counted by the login lockouts).
4. (a) Latency below capacity: 2 x cores + 1 workers (--workers); --users
   reviewers (locust, bench/locustfile_web.py), each an intermediate
   union's reviewer of their own (no two users decide the same case),
   looping inbox -> case page -> decision page -> decision with a think
   time (the May Day cases of kinds grow_demo grew), plus a few
   users on /healthz (one trivial query) as the yardstick. The first
   --warm-up seconds (10) of each run are left out of its table: every
   user's first request arrives in the same second, on workers that have
   compiled no template yet, and that start measures the run, not the
   pages (errors are counted over the whole run). First those
   /healthz users alone (unloaded, through the same client): their p50. A run whose /healthz
   p50 is more than 2 x that was over capacity (every page waited in the
   same queue, which flatters every ratio), so the think time grows by half
   and the run is repeated, up to --attempts times, each on a fresh copy.
   The table: per page p50/p95/p99 and its p95 / healthz p95; targets:
   inbox and case page p95 <= 4 x healthz p95.
   (b) Capacity: decisions per second at saturation, reviewers with no
   think time (--capacity-users), once with 1 worker and once with 3, each
   on a fresh copy. With no site-wide lock 3 workers must give clearly more
   than 1 (target: at least 1.5 x; on 2 cores, with PostgreSQL and locust
   on the same machine, about 2 x is the ceiling).
   gunicorn is stopped at the end of each run, whatever happened; the exit
   status is 0 only if every target passed and the runs were below capacity."""

import argparse
import csv
import os
import re
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
# The PostgreSQL server (and the grown database's name) come from
# DATABASE_URL when it names one; else the local server as user postgres.
PG = "postgres://postgres@127.0.0.1:5432/"
PG_QUERY = ""
DEFAULT_DB = "unionflow_bench"


def use_database_url(url):
    """Take the server and the database name from a postgres:// URL; refuse
    any other database (SQLite serialises every write: a capacity measured
    on it is the lock's, not the application's)."""
    global PG, PG_QUERY
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"bench/web.py measures on PostgreSQL only: DATABASE_URL is {parts.scheme}://..., "
                         f"give it postgres://user@host:port/database (or leave it unset for "
                         f"{PG}{DEFAULT_DB}).")
    PG = f"{parts.scheme}://{parts.netloc}/"
    PG_QUERY = f"?{parts.query}" if parts.query else ""
    return parts.path.lstrip("/") or DEFAULT_DB


def pg_url(db):
    return PG + db + PG_QUERY
DEMO_PASSWORD = "demo-2024"  # demo.accounts
PAGES = ["inbox", "case page", "decision page", "decision", "healthz"]
# Every target's verdict, printed again together at the end.
SUMMARY = []


def verdict(line):
    print(line)
    SUMMARY.append(line)


def psql(sql, db="postgres"):
    """One statement through psycopg (autocommit: CREATE DATABASE may not run in a transaction)."""
    import psycopg

    with psycopg.connect(pg_url(db), autocommit=True) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else None


def manage(db, *args, env=None):
    env = {**os.environ, "UNIONFLOW_ENV": "development", "DATABASE_URL": pg_url(db), **(env or {})}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(args):
    """The grown database, made or grown as needed (Server serves copies of it)."""
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
    # Fresh statistics for the planner (the copies inherit them): a database
    # grown in minutes may not have been analysed yet, and on stale figures
    # PostgreSQL scans every task for one reviewer's inbox.
    psql("ANALYZE", db=args.db)
    print(f"Database {args.db} at size ({time.perf_counter() - started:.0f} s to check or grow).", flush=True)


def server_env(run_db, var_dir):
    env = {
        **os.environ,
        "UNIONFLOW_ENV": "production", "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": "http://127.0.0.1", "SECURE_SSL_REDIRECT": "0", "DATABASE_URL": pg_url(run_db),
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


def read_failures(prefix):
    """{(page, error): occurrences} of a locust run."""
    try:
        with open(f"{prefix}_failures.csv", newline="") as f:
            return {(row["Name"], row["Error"]): int(row["Occurrences"]) for row in csv.DictReader(f)}
    except FileNotFoundError:
        return {}


def ran_dry(failures):
    """Inbox requests of a run that found no case left to decide."""
    return sum(n for (name, error), n in failures.items() if name == "inbox" and "no case left" in error)


def open_cases(db, reviewers):
    """{reviewer: open tasks in their inbox} in database `db`, for the
    first `reviewers` grown intermediate unions' reviewers (their unions
    have no other member, so their union's open tasks are theirs)."""
    rows = psql(
        "SELECT u.username, count(t.id) FROM auth_user u "
        "JOIN workflows_membership m ON m.user_id = u.id "
        "LEFT JOIN viewflow_task t ON t.owner_permission_obj_pk = m.organisation_id::text "
        "AND t.status IN ('NEW', 'ASSIGNED') AND t.flow_task_type = 'HUMAN' "
        "WHERE u.username ~ '^grow_i[0-9]+_review$' GROUP BY u.username ORDER BY u.username", db=db)
    wanted = [f"grow_i{n:02d}_review" for n in range(1, reviewers + 1)]
    found = dict(rows)
    return {name: found.get(name, 0) for name in wanted}


def settle(args):
    """Wait for the machine to be idle; (settled, load) at the end."""
    threshold = args.idle_load if args.idle_load is not None else 0.25 * (os.cpu_count() or 1)
    deadline = time.monotonic() + args.settle_seconds
    while True:
        load = os.getloadavg()[0]
        if load <= threshold:
            print(f"Machine idle: load average {load:.2f} <= {threshold:.2f} on {os.cpu_count()} cores.", flush=True)
            return True, load
        if time.monotonic() >= deadline:
            print(f"WARNING: the machine did not settle: load average {load:.2f} > {threshold:.2f} on "
                  f"{os.cpu_count()} cores after {args.settle_seconds} s of waiting. The figures below are "
                  f"taken on a busy machine and measure its other work too.", flush=True)
            return False, load
        print(f"Waiting for the machine to settle: load average {load:.2f} > {threshold:.2f} ...", flush=True)
        time.sleep(15)


def machine_cpu():
    """(busy, total) CPU seconds of the whole machine so far (/proc/stat)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    ticks = os.sysconf("SC_CLK_TCK")
    return (sum(fields[:8]) - idle) / ticks, sum(fields[:8]) / ticks


def group_cpu(pgid):
    """CPU seconds used so far by the live processes of process group
    `pgid` (gunicorn's master and workers: it runs in a session of its own)."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, ...
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def children_cpu():
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class LoadSampler:
    """The one-minute load average, sampled every few seconds during a run,
    and where the CPU went: the whole machine, the server (gunicorn's
    processes) and the load generator (locust, a child of this process:
    one process, so more than about 80 % of one core means it, not the
    server, may have set the pace)."""

    def __init__(self, server_pgid=None):
        import threading

        self.samples, self.stop = [], threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.server_pgid = server_pgid

    def run(self):
        while not self.stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self.stop.wait(5)

    def __enter__(self):
        self.started = time.monotonic()
        self.machine0, self.client0 = machine_cpu(), children_cpu()
        self.server0 = group_cpu(self.server_pgid) if self.server_pgid else 0.0
        self.thread.start()
        return self

    def __exit__(self, *exc):
        # The server's CPU before the run's end (its workers are still up).
        self.server = (group_cpu(self.server_pgid) - self.server0) if self.server_pgid else float("nan")
        self.stop.set()
        self.thread.join()
        self.wall = time.monotonic() - self.started
        busy, total = machine_cpu()
        self.machine = (busy - self.machine0[0]) / max(1e-9, total - self.machine0[1])  # share of all cores
        self.client = children_cpu() - self.client0

    def summary(self):
        if not self.samples:
            return "load average: no sample"
        return (f"load average during the run: min {min(self.samples):.1f}, mean "
                f"{sum(self.samples) / len(self.samples):.1f}, max {max(self.samples):.1f} on {os.cpu_count()} cores")

    def cpu_summary(self):
        cores = os.cpu_count() or 1
        return (f"CPU during the run: machine {100 * self.machine:.0f} % busy of {cores} cores; "
                f"server (gunicorn) {100 * self.server / self.wall:.0f} % of one core; "
                f"load generator (locust) {100 * self.client / self.wall:.0f} % of one core; "
                f"the rest (PostgreSQL, anything else) {100 * (self.machine * cores * self.wall - self.server - self.client) / self.wall:.0f} %")

    @property
    def client_share(self):
        return self.client / self.wall


class Server:
    """gunicorn with `workers` sync workers on a fresh copy of the grown database."""

    def __init__(self, args, workers, var_dir):
        self.args, self.workers, self.var_dir = args, workers, var_dir
        self.run_db = f"{args.db}_run"
        self.process = None

    def __enter__(self):
        psql(f"DROP DATABASE IF EXISTS {self.run_db} WITH (FORCE)")
        psql(f"CREATE DATABASE {self.run_db} TEMPLATE {self.args.db}")
        self.env = server_env(self.run_db, self.var_dir)
        port = free_port()
        self.host = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [os.path.join(VENV_BIN, "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(self.workers), "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env=self.env, start_new_session=True,
        )
        wait_for(f"{self.host}/healthz", 120)
        return self

    def __exit__(self, *exc):
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        try:
            psql(f"DROP DATABASE IF EXISTS {self.run_db} WITH (FORCE)")
        except Exception as exc:  # the report matters more than the clean-up
            print(f"(could not drop {self.run_db}: {exc})")


def stats_from_log(path, since, seconds):
    """Locust's stats columns by page name (and "Aggregated"), counted from
    the requests that started `since` seconds into the run or later: the
    first seconds are a warm-up (every user's first request arrives in the
    same second, on workers that have not yet compiled a template), which
    measures the start-up of the run, not the pages. Failures are counted
    over the whole run, warm-up included (the "Aggregated" row)."""
    by_name, failures = {}, 0
    with open(path, newline="") as f:
        for started, name, millis, failed in csv.reader(f):
            failures += int(failed)
            if float(started) >= since:
                by_name.setdefault(name, []).append((float(millis), int(failed)))
    by_name["Aggregated"] = [item for items in list(by_name.values()) for item in items]
    stats = {}
    for name, items in by_name.items():
        if not items:
            continue
        times = sorted(t for t, _ in items)

        def percentile(q):
            return f"{times[min(len(times) - 1, int(q * len(times)))]:.0f}"

        stats[name] = {"Request Count": str(len(items)), "Failure Count": str(sum(f for _, f in items)),
                       "Requests/s": f"{len(items) / seconds:.2f}", "50%": percentile(0.5),
                       "95%": percentile(0.95), "99%": percentile(0.99)}
    if "Aggregated" in stats:
        stats["Aggregated"]["Failure Count"] = str(failures)
    return stats


def run_locust(server, args, *, reviewers, health, think, seconds, label, warm_up=0):
    """One headless locust run against `server`; its stats by page name.
    With `warm_up` seconds, the run is that much longer and its stats leave
    those first seconds out (stats_from_log)."""
    sessions = os.path.join(server.var_dir, f"sessions-{label}.json")
    if reviewers:
        took = log_in(server.host, reviewers, sessions)
    else:
        took = 0.0
        with open(sessions, "w") as f:
            f.write("{}")
    print(f"[{label}] {reviewers} reviewers logged in (one after the other, before the run) in {took:.1f} s; "
          f"{health} healthz users; think time {think[0]:.2f}-{think[1]:.2f} s; {server.workers} workers; "
          f"{seconds} s" + (f" after a warm-up of {warm_up} s (not counted)" if warm_up else "") + ".", flush=True)
    prefix = os.path.join(server.var_dir, f"locust-{label}")
    request_log = os.path.join(server.var_dir, f"requests-{label}.csv")
    classes = (["Reviewer"] if reviewers else []) + (["Health"] if health else [])
    env = {**os.environ, "BENCH_REVIEWERS": str(reviewers), "BENCH_HEALTH_USERS": str(health),
           "BENCH_SESSIONS": sessions, "BENCH_REQUEST_LOG": request_log,
           "BENCH_WAIT_MIN": str(think[0]), "BENCH_WAIT_MAX": str(think[1])}
    with LoadSampler(server.process.pid) as load:
        subprocess.run(
            [os.path.join(VENV_BIN, "locust"), "-f", os.path.join(ROOT, "bench", "locustfile_web.py"), "--headless",
             "-u", str(reviewers + health), "-r", str(max(1, (reviewers + health) // 2)), "-t", f"{seconds + warm_up}s",
             "--stop-timeout", "10", "--host", server.host, "--csv", prefix, "--only-summary",
             "--loglevel", "WARNING", *classes],
            cwd=ROOT, env=env, timeout=seconds + warm_up + 120, check=False,
        )
    print(f"[{label}] {load.summary()}.", flush=True)
    print(f"[{label}] {load.cpu_summary()}.", flush=True)
    if load.client_share > 0.8:
        print(f"[{label}] WARNING: the load generator used {100 * load.client_share:.0f} % of a core: it may have "
              f"set the pace of this run, not the server.", flush=True)
    stats = stats_from_log(request_log, warm_up, seconds) if warm_up else read_stats(prefix)
    return stats, load, read_failures(prefix)


def print_table(headers, rows):
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    print()
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print("+".join("-" * (w + 2) for w in widths))
    for row in rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(row, widths)))


def number(row, key):
    try:
        return float(row[key])
    except (KeyError, TypeError, ValueError):
        return float("nan")


def latency_below_capacity(args, var_dir):
    """Run (a). Returns whether its targets passed."""
    base_p50 = base_p95 = None
    scale, stats, kept_up = 1.0, None, False
    for attempt in range(1, args.attempts + 1):
        with Server(args, args.workers, var_dir) as server:
            if base_p50 is None:
                # The yardstick's users alone, through the same client (locust's own overhead included).
                alone, _, _ = run_locust(server, args, reviewers=0, health=args.health_users,
                                      think=(args.think_min, args.think_max), seconds=min(20, args.seconds),
                                      label="unloaded", warm_up=args.warm_up)
                base_p50, base_p95 = number(alone.get("healthz", {}), "50%"), number(alone.get("healthz", {}), "95%")
                print(f"/healthz unloaded ({args.health_users} users alone, {args.workers} workers): "
                      f"p50 {base_p50:.0f} ms, p95 {base_p95:.0f} ms.", flush=True)
            think = (args.think_min * scale, args.think_max * scale)
            stats, load, failures = run_locust(server, args, reviewers=args.users, health=args.health_users,
                                               think=think, seconds=args.seconds, label=f"a{attempt}",
                                               warm_up=args.warm_up)
        health_p50 = number(stats.get("healthz", {}), "50%")
        offered = (args.users + args.health_users) / ((think[0] + think[1]) / 2)
        kept_up = health_p50 <= 2 * base_p50
        print(f"[a{attempt}] offered about {offered:.0f} requests/s (users / mean think time, plus the time "
              f"each request takes); /healthz p50 {health_p50:.0f} ms against {base_p50:.1f} ms unloaded: "
              f"{'kept up' if kept_up else 'over capacity, lowering the load'}.", flush=True)
        if kept_up:
            break
        scale *= 1.5
    health_p95 = number(stats.get("healthz", {}), "95%")
    rows, targets = [], []
    for name in PAGES + ["Aggregated"]:
        row = stats.get(name)
        if row is None:
            continue
        p95 = number(row, "95%")
        ratio = p95 / health_p95 if health_p95 else float("inf")
        rows.append((name if name != "Aggregated" else "all", row["Request Count"], row["Failure Count"],
                     f"{number(row, 'Requests/s'):.1f}", row["50%"], row["95%"], row["99%"],
                     f"{ratio:.1f}" if name != "healthz" else "1.0"))
        if name in ("inbox", "case page"):
            targets.append((name, ratio))
    print(f"\n(a) Latency below capacity: {args.users} reviewers, {args.workers} workers, {args.seconds} s\n"
          f"    {load.summary()}\n    {load.cpu_summary()}")
    print_table(("Page", "Requests", "Failures", "req/s", "p50 ms", "p95 ms", "p99 ms", "p95 / healthz p95"), rows)
    errors = int(number(stats.get("Aggregated", {}), "Failure Count")) if "Aggregated" in stats else -1
    ok = errors == 0 and kept_up
    print()
    SUMMARY.append(f"(a) {load.summary()}")
    verdict(f"(a) errors: {errors} (target 0): {'PASS' if errors == 0 else 'FAIL'}")
    if ran_dry(failures):
        print(f"  of which {ran_dry(failures)} inbox requests found no case left: the run ran out of cases "
              f"(grow more, or fewer --seconds).")
    verdict(f"(a) /healthz p50 {number(stats.get('healthz', {}), '50%'):.0f} ms, unloaded {base_p50:.1f} ms "
          f"(target <= 2 x: the load was below capacity): {'PASS' if kept_up else 'FAIL (never reached in ' + str(args.attempts) + ' attempts)'}")
    for name, ratio in targets:
        passed = ratio <= 4
        ok = ok and passed
        verdict(f"(a) {name} p95 / healthz p95 = {ratio:.1f} (target <= 4): {'PASS' if passed else 'FAIL'}")
    return ok


def capacity(args, var_dir):
    """Run (b). Returns whether 3 workers gave clearly more than 1.

    Each run serves a fresh copy of the grown database, so both start with
    the same cases. A run is only a capacity if work was left at its end:
    the open cases in each reviewer's inbox are counted before and after
    (the difference is the decisions the server made, a check on locust's
    count), and a run in which an inbox came up empty, or any reviewer has
    none left at the end, ran dry: it measured the supply of cases, not the
    server, and is reported INVALID, with no figure."""
    users = args.capacity_users
    rows, rates, problems = [], {}, []
    for workers in (1, 3):
        with Server(args, workers, var_dir) as server:
            before = open_cases(server.run_db, users)
            print(f"[b{workers}] open cases in the {users} reviewers' inboxes: {sum(before.values())} in all, "
                  f"{min(before.values())} to {max(before.values())} each.", flush=True)
            stats, load, failures = run_locust(server, args, reviewers=users, health=0, think=(0, 0),
                                               seconds=args.seconds, label=f"b{workers}")
            after = open_cases(server.run_db, users)
        row = stats.get("decision", {})
        done = int(number(row, "Request Count") - number(row, "Failure Count")) if row else 0
        decided = sum(before.values()) - sum(after.values())
        empty_inboxes, emptied = ran_dry(failures), sum(1 for n in after.values() if n == 0)
        errors = int(number(stats.get("Aggregated", {}), "Failure Count")) if "Aggregated" in stats else -1
        if empty_inboxes or emptied:
            rates[workers] = None
            problems.append(f"{workers} worker(s): INVALID, the run ran dry ({empty_inboxes} inbox requests found "
                            f"no case left; {emptied} of {users} reviewers had none left at the end): it measured "
                            f"the cases available, not the server. Grow more cases waiting at the reviewers "
                            f"(grow_demo --cases), or shorten --seconds.")
            rate_text = "INVALID (ran dry)"
        else:
            rates[workers] = done / args.seconds
            rate_text = f"{rates[workers]:.1f}"
        if errors - empty_inboxes:  # failures other than an empty inbox
            problems.append(f"{workers} worker(s): {errors - empty_inboxes} failed requests (besides empty inboxes).")
        SUMMARY.append(f"(b) {workers} worker(s): {load.summary()}")
        rows.append((workers, users, done, decided, rate_text, row.get("50%", "-"), row.get("95%", "-"), errors,
                     f"{sum(load.samples) / max(1, len(load.samples)):.1f}", f"{100 * load.machine:.0f} %",
                     f"{100 * load.server / load.wall:.0f} %", f"{100 * load.client_share:.0f} %"))
    print(f"\n(b) Capacity: {users} reviewers with no think time, {args.seconds} s each, a fresh copy of the "
          f"database each")
    print_table(("Workers", "Users", "Decisions", "in the database", "decisions/s", "decision p50 ms", "p95 ms",
                 "Errors", "mean load", "machine CPU", "server CPU (1 core = 100 %)", "locust CPU"), rows)
    print()
    for problem in problems:
        verdict(f"(b) {problem}")
    if rates[1] is None or rates[3] is None:
        verdict("(b) 3 workers / 1 worker: no figure (a run ran dry, see above): INVALID, counted as FAIL")
        return False
    gain = rates[3] / rates[1] if rates[1] else float("inf")
    passed = gain >= 1.5 and not problems
    verdict(f"(b) 3 workers / 1 worker = {rates[3]:.1f} / {rates[1]:.1f} decisions/s = {gain:.2f} (target >= 1.5): "
            f"{'PASS' if passed else 'FAIL'}")
    return passed


def check_supply(args):
    """Enough reviewers and cases in the grown database for both runs, or
    an error saying what to grow."""
    needed = max(args.users, args.capacity_users)
    supply = open_cases(args.db, needed)
    missing = [name for name, n in supply.items() if n == 0]
    if missing:
        raise SystemExit(f"The grown database has no open case for {len(missing)} of the {needed} reviewers the "
                         f"runs need ({missing[0]} ...): grow more organisations (--orgs, ten grassroots unions "
                         f"and a reviewer per eleven) or use fewer --users / --capacity-users.")
    print(f"Open cases waiting at the {needed} reviewers the runs use: {sum(supply.values())} "
          f"({min(supply.values())} to {max(supply.values())} each; every run starts from these).", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--db", default=None,
                        help="the grown database (default: DATABASE_URL's database, else unionflow_bench); the "
                             "runs serve copies of it named <db>_run, so the user needs CREATEDB")
    parser.add_argument("--orgs", type=int, default=500)
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--grow-jobs", type=int, default=1, help="processes growing the demo (grow_demo --jobs)")
    parser.add_argument("--rebuild", action="store_true", help="drop the grown database and grow it again")
    parser.add_argument("--users", type=int, default=40, help="reviewers in run (a)")
    parser.add_argument("--health-users", type=int, default=4, help="/healthz users in run (a), the yardstick")
    parser.add_argument("--think-min", type=float, default=0.5, help="think time of run (a)'s first attempt, s")
    parser.add_argument("--think-max", type=float, default=1.5)
    parser.add_argument("--attempts", type=int, default=5, help="runs (a) at lower and lower load, at most")
    parser.add_argument("--capacity-users", type=int, default=40,
                        help="reviewers with no think time in run (b) (each has the cases of their own inbox, so "
                             "more reviewers make more cases available to the run)")
    parser.add_argument("--seconds", type=int, default=60, help="length of each measured run")
    parser.add_argument("--warm-up", type=int, default=10,
                        help="seconds at the start of each run (a) left out of its table (every user's first "
                             "request arrives at once, on workers that have compiled nothing yet)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1,
                        help="gunicorn workers in run (a) (default 2 x cores + 1)")
    parser.add_argument("--settle-seconds", type=int, default=600, help="how long to wait for an idle machine")
    parser.add_argument("--idle-load", type=float, default=None,
                        help="load average counted as idle (default a quarter of the cores)")
    parser.add_argument("--skip", choices=["latency", "capacity"], help="leave one of the two runs out")
    args = parser.parse_args()
    url_db = use_database_url(os.environ["DATABASE_URL"]) if os.environ.get("DATABASE_URL") else DEFAULT_DB
    args.db = args.db or url_db
    shown = re.sub(r"//[^@/]*@", "//", PG)  # no password in the output
    print(f"PostgreSQL: {shown} (grown database {args.db}, each run on a fresh copy {args.db}_run).", flush=True)

    prepare_database(args)
    check_supply(args)
    settled, load_before = settle(args)
    var_dir = tempfile.mkdtemp(prefix="unionflow-bench-web-")
    try:
        # The production storage serves hashed static names from collectstatic's manifest.
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                       env=server_env(f"{args.db}_run", var_dir), check=True)
        ok = True
        if args.skip != "latency":
            ok = latency_below_capacity(args, var_dir) and ok
        if args.skip != "capacity":
            ok = capacity(args, var_dir) and ok
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print("\nSummary")
    print(f"  machine: load average {load_before:.2f} on {os.cpu_count()} cores before the runs: "
          f"{'idle' if settled else 'NOT IDLE (the figures measure its other work too)'}")
    for line in SUMMARY:
        print(f"  {line}")
    print(f"  overall: {'PASS' if ok and settled else 'FAIL'}")
    return 0 if ok and settled else 1


if __name__ == "__main__":
    sys.exit(main())
