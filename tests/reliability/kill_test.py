"""Crash safety: kill the server and the worker (SIGKILL) at random moments
while people decide, print and certificates render; then check every case.

    python tests/reliability/kill_test.py --kills 50        # PostgreSQL

It makes its own database (wt_reliab_kill on DATABASE_URL's server, or
postgres://postgres@127.0.0.1:5432 without one), migrates, seeds the demo
and a workload (tests/reliability/workload.py), starts gunicorn,
`manage.py db_worker` and `manage.py run_scheduler` as the deployment does,
drives decisions through HTTP (tests/reliability/driver.py: confirm,
forward, return and resubmit on the May Day cases' pages (campaign kinds),
bulk approvals at the district's review, grants that render
certificates, batch prints, ballots cast with one-time codes), and kills
one of the three with SIGKILL (its whole process group: gunicorn's
workers, the print pool) at moments drawn
from a seeded RNG, restarting it each time. Then it lets the worker drain
(a bounded wait), stops everything and runs `manage.py check_integrity`
(`--stale-after 0`: nothing may be left running once no worker runs).

Prints the number of kills and of violations (with their kinds); exits 1
on any violation."""

import argparse
import collections
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.installations import (  # noqa: E402
    PYTHON, ROOT, installation_env, manage, postgres_url, recreate_postgres_database,
)
from tests.reliability.driver import Driver  # noqa: E402

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
# Where a violation line of check_integrity belongs (first match wins).
KINDS = [
    ("state differs from the last audit entry", re.compile(r"last audit entry says")),
    ("open tasks do not match the state", re.compile(r"no step is open|has no open task|open tasks of other steps|open tasks of")),
    ("certificate without its file or hash", re.compile(r"^certificate ")),
    ("audit chain broken", re.compile(r"^audit entry #")),
    ("ballots miscounted", re.compile(r"ballot|tally counted")),
    ("print job running without a worker", re.compile(r"^print job #")),
    ("task running without a worker", re.compile(r"^task .* running with no worker")),
    ("background work left running or not taken up", re.compile(r"^background work ")),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """One of the three processes, started in a process group of its own
    so a kill takes its children with it."""

    def __init__(self, name, args, env, logs):
        self.name, self.args, self.env, self.logs = name, args, env, logs
        self.process = None
        self.starts = 0

    def start(self, **extra_env):
        self.starts += 1
        log = open(self.logs / f"{self.name}.log", "ab")
        self.process = subprocess.Popen(self.args(self.starts), env={**self.env, **extra_env}, cwd=ROOT,
                                        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        log.close()

    def kill(self, sig=signal.SIGKILL):
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=60)

    def stop(self):
        """SIGTERM (the worker finishes its task), then SIGKILL after 60 s."""
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill()


def wait_for_server(base, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/login/", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server did not answer within {timeout} s")


def background_state(database_url, worker_id):
    """(tasks ready to run, tasks running on the live worker, print jobs
    and owed work not finished)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        ready = conn.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY' "
                             "AND run_after <= now()").fetchone()[0]
        ours = conn.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING' "
                            "AND (worker_ids ->> -1) = %s", (worker_id,)).fetchone()[0]
        jobs = conn.execute("SELECT count(*) FROM workflows_printjob WHERE status IN ('pending', 'running')"
                            ).fetchone()[0]
        # Work owed after a commit (the outbox), where the code has one.
        if conn.execute("SELECT to_regclass('workflows_outboxitem') IS NOT NULL").fetchone()[0]:
            jobs += conn.execute("SELECT count(*) FROM workflows_outboxitem WHERE state IN ('pending', 'running')"
                                 ).fetchone()[0]
    return ready, ours, jobs


def busy_worker(database_url):
    """Is the worker in the middle of something (a task or a print job)?"""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        return conn.execute("SELECT EXISTS (SELECT 1 FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING') "
                            "OR EXISTS (SELECT 1 FROM workflows_printjob WHERE status = 'running')").fetchone()[0]


def drain(database_url, worker, timeout):
    """Wait until the live worker has nothing left to run (three quiet
    polls in a row), at most `timeout` seconds; return the seconds waited."""
    start = time.monotonic()
    quiet = 0
    while time.monotonic() - start < timeout and quiet < 3:
        ready, ours, jobs = background_state(database_url, worker_id(worker.starts))
        quiet = quiet + 1 if ready == 0 and ours == 0 and jobs == 0 else 0
        time.sleep(1)
    return time.monotonic() - start


def worker_id(start):
    return f"kill-test-worker-{start}"


def classify(lines):
    kinds = collections.Counter()
    for line in lines:
        kinds[next((kind for kind, pattern in KINDS if pattern.search(line)), "other")] += 1
    return kinds


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--database", default="wt_reliab_kill", help="the database made for the run (dropped first)")
    parser.add_argument("--server-url", default=None,
                        help="the PostgreSQL server (default: DATABASE_URL's, else " + DEFAULT_SERVER + ")")
    parser.add_argument("--per-step", type=int, default=None,
                        help="cases prepared at each step (default: grows with --kills)")
    parser.add_argument("--min-gap", type=float, default=0.5, help="shortest time between kills (s)")
    parser.add_argument("--max-gap", type=float, default=4.0, help="longest time between kills (s)")
    parser.add_argument("--drain-timeout", type=float, default=180.0)
    parser.add_argument("--keep", action="store_true", help="keep the run folder (logs)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    server_url = args.server_url or os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")):
        server_url = DEFAULT_SERVER
    os.environ["DATABASE_URL"] = server_url  # tests.installations reads the server from it
    database_url = postgres_url(args.database)
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="unionflow-kill-"))
    logs = folder / "logs"
    logs.mkdir()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = installation_env(folder, database_url, ALLOWED_HOSTS="127.0.0.1", SITE_URL=base,
                           UNIONFLOW_PRINT_PROCESSES="1", UNIONFLOW_PRINT_CHUNK="5", LOG_LEVEL="INFO",
                           # The driver signs people in with their passwords only: crash
                           # safety is the question here, not the second factor.
                           UNIONFLOW_SECOND_FACTOR="0")
    t0 = time.monotonic()
    print(f"run folder {folder}; database {args.database}; server {base}", flush=True)
    recreate_postgres_database(args.database)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo")
    per_step = args.per_step or max(6, args.kills // 2)
    manage(env, "shell", "-c", f"from tests.reliability.workload import prepare; prepare({per_step})")
    print(f"set up in {time.monotonic() - t0:.0f} s", flush=True)

    services = {
        "server": Service("server", lambda n: [
            str(Path(PYTHON).parent / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", "2", "--timeout", "120", "--graceful-timeout", "5"], env, logs),
        "worker": Service("worker", lambda n: [
            PYTHON, str(ROOT / "manage.py"), "db_worker", "--worker-id", worker_id(n), "--interval", "0.5",
            "--no-startup-delay"], env, logs),
        "scheduler": Service("scheduler", lambda n: [PYTHON, str(ROOT / "manage.py"), "run_scheduler"], env, logs),
    }
    killed, mid_work, waited = collections.Counter(), 0, 0.0
    driver = Driver(base, database_url, seed=args.seed)
    try:
        for service in services.values():
            service.start()
        wait_for_server(base)
        driver.start()
        try:
            for k in range(args.kills):
                time.sleep(rng.uniform(args.min_gap, args.max_gap))
                victim = rng.choices(["server", "worker", "scheduler"], [5, 5, 1])[0]
                if victim == "worker" and rng.random() < 0.6:
                    # Aim at the worker in the middle of a render or a print.
                    deadline = time.monotonic() + 5
                    while time.monotonic() < deadline and not busy_worker(database_url):
                        time.sleep(0.1)
                    mid_work += busy_worker(database_url)
                services[victim].kill()
                killed[victim] += 1
                services[victim].start()
                if victim == "server":
                    wait_for_server(base)
                print(f"kill {k + 1}/{args.kills}: {victim}", flush=True)
        finally:
            driver.finish()
        waited = drain(database_url, services["worker"], args.drain_timeout)
    finally:
        # Whatever happened, no process of the run outlives it.
        for service in services.values():
            if service.process is not None:
                service.stop()

    done = manage(env, "check_integrity", "--stale-after", "0", check=False)
    violations = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("CommandError")]
    print()
    print(f"kills: {sum(killed.values())} ({', '.join(f'{n} {name}' for name, n in sorted(killed.items()))}; "
          f"{mid_work} worker kills during a render or print)")
    print("driver: " + ", ".join(f"{name} {n}" for name, n in sorted(driver.counts.items())))
    print(f"drained in {waited:.0f} s; whole run {time.monotonic() - t0:.0f} s")
    print(done.stdout.strip())
    for kind, n in sorted(classify(violations).items()):
        print(f"  {n} × {kind}")
    for line in violations[:30]:
        print(f"    {line}")
    print(f"violations: {len(violations)}")
    if not args.keep and not violations:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    else:
        print(f"logs in {logs}")
    return 1 if violations or done.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
