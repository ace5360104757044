"""The tamper-evident audit: a hash chain over every entry, verify_audit
naming the first bad row, managers that cannot write a row, and on
PostgreSQL a trigger that refuses UPDATE and DELETE."""

import contextlib
import io
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from awards.mayday import services
from workflows.audit import log_action, verify_chain
from workflows.audit_chain import GENESIS
from workflows.models import AuditEntry

TABLE = AuditEntry._meta.db_table
ON_POSTGRESQL = connection.vendor == "postgresql"


def raw(sql, params=()):
    """Run SQL behind the application's back; on PostgreSQL with the
    append-only trigger switched off for the statement, as a superuser can
    (replica mode fires no ordinary trigger)."""
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@contextlib.contextmanager
def triggers_off():
    if not ON_POSTGRESQL:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


@pytest.fixture
def history(tree, make_nomination):
    """A nomination through two reviews: a handful of audit entries."""
    nomination = make_nomination()
    services.nomination_approve(nomination=nomination, actor=tree.chair)
    services.nomination_approve(nomination=nomination, actor=tree.reviewer_a)
    entries = list(AuditEntry.objects.order_by("pk"))
    assert len(entries) >= 4
    return entries


def verify():
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_entries_are_chained_and_verify_audit_passes_after_normal_use(history):
    previous = GENESIS
    for entry in history:
        assert entry.prev_hash == previous and len(entry.entry_hash) == 64
        previous = entry.entry_hash
    assert f"{len(history)} entries chained" in verify()


def test_an_entry_changed_through_raw_sql_is_named(history):
    victim = history[2]
    raw(f"UPDATE {TABLE} SET comment = %s WHERE id = %s", ["改过的意见", victim.pk])
    with pytest.raises(CommandError, match=rf"Audit entry #{victim.pk} .*content does not match"):
        verify()


def test_a_rehashed_entry_is_caught_by_the_next_link(history):
    victim, following = history[1], history[2]
    raw(f"UPDATE {TABLE} SET comment = %s, entry_hash = %s WHERE id = %s", ["x", "f" * 64, victim.pk])
    checked, (entry, reason) = verify_chain()
    assert entry.pk == victim.pk  # its own hash no longer matches its content either
    raw(f"DELETE FROM {TABLE} WHERE id = %s", [victim.pk])
    with pytest.raises(CommandError, match=rf"Audit entry #{following.pk} .*link back"):
        verify()


def test_no_manager_of_the_model_writes_an_existing_row(history):
    entry = history[0]
    original = entry.comment
    for manager in (AuditEntry.objects, AuditEntry._base_manager):
        with pytest.raises(PermissionError):
            manager.filter(pk=entry.pk).update(comment="x")
        with pytest.raises(PermissionError):
            manager.filter(pk=entry.pk).delete()
        with pytest.raises(PermissionError):
            manager.filter(pk=entry.pk)._update({"comment": "x"})
        with pytest.raises(PermissionError):
            manager.bulk_update([entry], ["comment"])
    entry.comment = "x"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).comment == original
    assert verify_chain()[1] is None


def test_deleting_what_an_entry_refers_to_is_refused_and_other_deletes_work(history, tree):
    with pytest.raises(ProtectedError):
        tree.chair.delete()  # has audit entries
    tree.outsider.delete()  # has none: the collector's look at the audit log is harmless
    assert not get_user_model().objects.filter(username="outsider").exists()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the trigger exists on PostgreSQL only")
def test_postgresql_trigger_refuses_update_and_delete(history):
    for sql in (f"UPDATE {TABLE} SET comment = 'x' WHERE id = %s", f"DELETE FROM {TABLE} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [history[0].pk])
    assert verify_chain()[1] is None


def test_the_migration_back_fills_the_chain_of_existing_rows(history):
    import importlib

    from django.db.migrations.executor import MigrationExecutor

    fill_chain = importlib.import_module("workflows.migrations.0009_audit_hash_chain").fill_chain
    raw(f"UPDATE {TABLE} SET prev_hash = '', entry_hash = ''")
    assert verify_chain()[1] is not None
    state = MigrationExecutor(connection).loader.project_state(("workflows", "0009_audit_hash_chain"))
    with triggers_off():
        fill_chain(state.apps, None)
    assert [e.entry_hash for e in AuditEntry.objects.order_by("pk")] == [e.entry_hash for e in history]
    assert verify_chain() == (len(history), None)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="concurrent writers need a server database")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_chain_one_after_the_other(tree):
    errors = []
    barrier = threading.Barrier(4)

    def write(n):
        try:
            barrier.wait()
            for i in range(10):
                with transaction.atomic():
                    log_action(tree.district, "workflows.test.written", comment=f"{n}-{i}")
        except Exception as exc:  # reported below: a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.filter(action="workflows.test.written").count() == 40
    assert verify_chain()[1] is None
