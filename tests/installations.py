"""Whole installations of UnionFlow run as separate processes (their own
database, storage folders and settings from the environment), for the tests
that must see the real commands at work: backup → restore, and the crash
test that kills the server and the worker."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def postgres_base_url():
    """The PostgreSQL server the test run uses (DATABASE_URL), or None."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def postgres_url(name):
    """DATABASE_URL's server with another database name."""
    parts = urlsplit(postgres_base_url())
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_postgres_database(name):
    """An empty database `name` on DATABASE_URL's server (dropped first)."""
    import psycopg

    with psycopg.connect(postgres_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_postgres_database(name):
    import psycopg

    with psycopg.connect(postgres_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def have_pg_tools():
    return all(shutil.which(tool) for tool in ("pg_dump", "pg_restore"))


def installation_env(folder, database_url, **extra):
    """The environment of an installation whose files live in `folder`."""
    folder = Path(folder)
    env = {
        **os.environ,
        "UNIONFLOW_ENV": "development",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(folder),
        "PRIVATE_STORAGE_ROOT": str(folder / "private"),
        "MEDIA_ROOT": str(folder / "media"),
        "SECRET_KEY": "installation-test-" + "x" * 40,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(extra)
    return env


def manage(env, *args, check=True, timeout=600):
    """Run `manage.py args` in the installation; the finished process."""
    done = subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if check and done.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


_SUMMARY = """
import json
from workflows.backup.database import current_row_counts
from workflows.documents.rendering import file_sha256
from workflows.models import Document
print(json.dumps({
    "rows": current_row_counts(),
    "documents": {str(d.pk): [d.sha256, file_sha256(d)] for d in Document.objects.order_by("pk")},
}))
"""


def summary(env):
    """Row counts per table and, per document, its recorded and its file's SHA-256."""
    return json.loads(manage(env, "shell", "-c", _SUMMARY).stdout.strip().splitlines()[-1])
