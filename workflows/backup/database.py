"""The database half of a backup: a consistent copy with the row count of
every table, and loading such a copy into an empty database.

PostgreSQL: pg_dump (custom format) runs on a snapshot exported from a
REPEATABLE READ transaction that also counts the rows, so the counts are
those of the dump even while the site keeps writing. SQLite: the sqlite3
backup API copies the live database page by page into a consistent file
(readers and the WAL are respected), and the rows are counted in the copy."""

import os
import shutil
import sqlite3
import subprocess

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from .errors import BackupError

SQLITE_MEMBER = "database/unionflow.sqlite3"
POSTGRES_MEMBER = "database/unionflow.pgdump"


def engine():
    """ "sqlite" or "postgresql" (the only engines the project runs on)."""
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s."), vendor=vendor)
    return vendor


def _quote(name):
    return connection.ops.quote_name(name)


def _count(cursor, tables):
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def current_row_counts():
    """The row count of every table of the connected database."""
    with connection.cursor() as cursor:
        return _count(cursor, connection.introspection.table_names(cursor))


def table_names():
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor, include_views=True)


def _pg_env():
    """libpq's environment for pg_dump / pg_restore, from the settings."""
    s = connection.settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if s.get(key):
            env[var] = str(s[key])
    env["PGDATABASE"] = s["NAME"]
    if s.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = s["OPTIONS"]["sslmode"]
    return env


def _run(args, what):
    if shutil.which(args[0]) is None:
        raise BackupError(_("%(program)s is not installed (PostgreSQL client tools are needed)."), program=args[0])
    done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True)
    if done.returncode:
        raise BackupError(_("%(program)s failed: %(error)s"), program=what, error=done.stderr.strip()[-2000:])


def dump(directory):
    """Write the database under `directory`; return (member name, row counts)."""
    if engine() == "sqlite":
        return _dump_sqlite(directory)
    return _dump_postgresql(directory)


def _dump_sqlite(directory):
    path = os.path.join(directory, SQLITE_MEMBER)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    copy = sqlite3.connect(path)
    try:
        cursor = copy.cursor()
        tables = [row[0] for row in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )]
        return SQLITE_MEMBER, _count(cursor, tables)
    finally:
        copy.close()


def _dump_postgresql(directory):
    path = os.path.join(directory, POSTGRES_MEMBER)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with transaction.atomic(), connection.cursor() as cursor:
        # First statement of the transaction: the snapshot pg_dump shares.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _count(cursor, connection.introspection.table_names(cursor))
        # The snapshot lives as long as this transaction: dump inside it.
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
              f"--file={path}"], "pg_dump")
    return POSTGRES_MEMBER, counts


def clear():
    """Drop every table and view (restore --force into a used database)."""
    with connection.cursor() as cursor:
        if engine() == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        for info in connection.introspection.get_table_list(cursor):
            kind = "VIEW" if info.type == "v" else "TABLE"
            cascade = " CASCADE" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP {kind} IF EXISTS {_quote(info.name)}{cascade}")
        if engine() == "sqlite":
            cursor.execute("PRAGMA foreign_keys = ON")
            return
        # What migrations made beside the tables (the audit log's append-only
        # trigger function, sequences of their own) would clash with the dump's.
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_depend d "
            "WHERE d.objid = p.oid AND d.deptype = 'e')")
        for (function,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION IF EXISTS {function} CASCADE")
        cursor.execute("SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema()")
        for (sequence,) in cursor.fetchall():
            cursor.execute(f"DROP SEQUENCE IF EXISTS {_quote(sequence)} CASCADE")


def load(directory, member):
    """Load the dump extracted under `directory` into the (empty) database."""
    path = os.path.join(directory, member)
    if engine() == "sqlite":
        source = sqlite3.connect(path)
        try:
            connection.ensure_connection()
            # Page by page into Django's own connection: the database file
            # stays where the settings say, WAL and all.
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
        return
    connection.close()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          f"--dbname={connection.settings_dict['NAME']}", path], "pg_restore")
