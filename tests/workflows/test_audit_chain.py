"""The tamper-evident audit: a content hash on every entry as it is
written, a hash chain over every entry once the sealer has linked it in,
verify_audit naming the first bad row (sealed or not), managers that cannot
write a row, and on PostgreSQL a trigger that refuses UPDATE (but sealing)
and DELETE."""

import contextlib
import io
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from workflows.steps.decisions import decide
from workflows.audit import log_action, verify_chain
from workflows.audit_chain import GENESIS
from workflows.audit_seal import seal_audit
from tests.conftest import valid_id_number
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
def history(tree, make_mayday_case):
    """A May Day case through two reviews: a handful of audit entries."""
    case = make_mayday_case()
    decide(decision="confirm", case=case, actor=tree.chair)
    decide(decision="forward", case=case, actor=tree.reviewer_a)
    assert not AuditEntry.objects.filter(seal_seq__isnull=False).exists()  # written unsealed, no lock
    assert seal_audit() >= 4
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
def test_concurrent_writers_are_all_sealed_into_one_chain(tree):
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
    assert verify_chain()[1] is None  # unsealed: each against its content hash
    seal_audit()
    assert not AuditEntry.objects.filter(seal_seq__isnull=True).exists()
    assert verify_chain()[1] is None


def test_the_sealer_links_entries_in_after_the_last_sealed_and_verify_checks_both(history, tree):
    last = AuditEntry.objects.order_by("-seal_seq").first()
    later = [log_action(tree.district, "workflows.test.written", comment=f"later {i}") for i in range(3)]
    for entry in later:
        entry.refresh_from_db()
        assert entry.seal_seq is None and entry.prev_hash == entry.entry_hash == "" and len(entry.content_hash) == 64
    assert "3 entries not sealed yet" in verify() and f"{len(history)} entries chained" in verify()
    assert seal_audit() == 3
    assert seal_audit() == 0  # sealed once
    chain = list(AuditEntry.objects.filter(pk__in=[e.pk for e in later]).order_by("seal_seq"))
    assert [e.seal_seq for e in chain] == [last.seal_seq + 1, last.seal_seq + 2, last.seal_seq + 3]
    assert chain[0].prev_hash == last.entry_hash and chain[1].prev_hash == chain[0].entry_hash
    assert f"{len(history) + 3} entries chained" in verify()


def test_an_unsealed_entry_changed_through_raw_sql_is_named(history, tree):
    entry = log_action(tree.district, "workflows.test.written", comment="原话")
    raw(f"UPDATE {TABLE} SET comment = %s WHERE id = %s", ["改过的话", entry.pk])
    with pytest.raises(CommandError, match=rf"Audit entry #{entry.pk} .*content hash \(not sealed yet\)"):
        verify()
    # Sealed as found, the change still shows.
    seal_audit()
    with pytest.raises(CommandError, match=rf"Audit entry #{entry.pk} .*content hash"):
        verify()


def test_an_unsealed_entry_given_a_forged_link_is_named(history, tree):
    entry = log_action(tree.district, "workflows.test.written")
    raw(f"UPDATE {TABLE} SET entry_hash = %s WHERE id = %s", ["f" * 64, entry.pk])
    with pytest.raises(CommandError, match=rf"Audit entry #{entry.pk} .*no place in the chain"):
        verify()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the trigger exists on PostgreSQL only")
def test_postgresql_trigger_lets_through_sealing_only(history, tree):
    entry = log_action(tree.district, "workflows.test.written", comment="原话")
    refused = [
        # Changing content while sealing.
        (f"UPDATE {TABLE} SET seal_seq = 999999, prev_hash = %s, entry_hash = %s, comment = 'x' WHERE id = %s",
         ["a" * 64, "b" * 64, entry.pk]),
        # Changing an unsealed entry's content.
        (f"UPDATE {TABLE} SET comment = 'x' WHERE id = %s", [entry.pk]),
        # Unsealing or resealing a sealed entry.
        (f"UPDATE {TABLE} SET seal_seq = NULL, prev_hash = '', entry_hash = '' WHERE id = %s", [history[0].pk]),
        (f"UPDATE {TABLE} SET prev_hash = %s WHERE id = %s", ["c" * 64, history[0].pk]),
        (f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk]),
    ]
    for sql, params in refused:
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
    assert seal_audit() == 1  # the sealer's UPDATE is the one let through
    assert verify_chain()[1] is None


@pytest.mark.skipif(not ON_POSTGRESQL, reason="concurrent writers need a server database")
@pytest.mark.django_db(transaction=True)
def test_a_decision_held_open_does_not_hold_up_a_decision_on_another_case(tree, make_mayday_case):
    """One reviewer's decision is still in its transaction (a slow request);
    another reviewer decides another case meanwhile, and is done before the
    first commits. Before the sealer, both waited for the chain's lock."""
    first = make_mayday_case()
    second = make_mayday_case(org=tree.union_b1, submitter=tree.submitter_b, name="李四",
                              id_number=valid_id_number("11010119850301003"))
    held, release, errors = threading.Event(), threading.Event(), []

    def slow_decision():
        try:
            with transaction.atomic():
                decide(decision="confirm", case=first, actor=tree.chair)
                held.set()
                release.wait(timeout=30)
        except Exception as exc:  # reported below
            errors.append(exc)
            held.set()
        finally:
            connection.close()

    def other_decision():
        try:
            decide(decision="confirm", case=second, actor=tree.chair_b)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    slow = threading.Thread(target=slow_decision)
    slow.start()
    try:
        assert held.wait(timeout=10)
        other = threading.Thread(target=other_decision)
        other.start()
        other.join(timeout=10)
        finished_meanwhile = not other.is_alive()
    finally:
        release.set()
        slow.join(timeout=30)
        other.join(timeout=30)
    assert errors == []
    assert finished_meanwhile, "the second decision waited for the first one's transaction"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == second.state == "intermediate"
    seal_audit()
    assert verify_chain()[1] is None and not AuditEntry.objects.filter(seal_seq__isnull=True).exists()
