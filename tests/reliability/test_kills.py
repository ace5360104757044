"""The crash test (kill_test.py) with a few kills, on PostgreSQL: the
server and the worker killed with SIGKILL while decisions, certificate
renderings and batch prints run, then `check_integrity` finds nothing
wrong. KILLS sets the number of kills (default 5)."""

import os
import subprocess
import sys

import pytest

from tests.installations import ROOT, postgres_base_url

KILLS = int(os.environ.get("KILLS", "5"))

pytestmark = pytest.mark.skipif(
    postgres_base_url() is None,
    reason="the crash test runs on PostgreSQL only (server, worker and scheduler share it): "
           "run with DATABASE_URL=postgres://…",
)


def test_kills_leave_no_violation():
    base = postgres_base_url().rsplit("/", 1)[1] or "unionflow"
    # Shorter leases than production's (40 s) so a killed worker's work is
    # taken up within the run's few minutes; the mechanism is the same.
    env = {**os.environ, "UNIONFLOW_LEASE_SECONDS": "12", "UNIONFLOW_HEARTBEAT_SECONDS": "3",
           "UNIONFLOW_SWEEP_SECONDS": "3"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "reliability" / "kill_test.py"), "--kills", str(KILLS),
         "--database", f"{base}_kill", "--per-step", "6", "--max-gap", "2.5", "--drain-timeout", "90"],
        capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL, env=env,
    )
    report = done.stdout + done.stderr
    assert f"kills: {KILLS} " in report, report
    assert "violations: 0" in report, report
    assert done.returncode == 0, report
