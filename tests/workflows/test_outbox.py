"""Work owed after a commit survives the process: the certificate's PDF is
recorded in the award's own transaction, runs under a lease renewed by a
heartbeat, and whatever a dead process left (never handed to the queue, or
its worker killed mid-way) is taken up by the sweep."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from workflows.background import outbox
from workflows.background.leases import Heartbeat, lease_seconds
from workflows.background.sweep import grace_seconds, sweep, sweep_seconds
from workflows.documents.tasks import CERTIFICATE_DOCUMENT
from workflows.models import Certificate, OutboxItem, OutboxState


def _ago(seconds):
    return timezone.now() - datetime.timedelta(seconds=seconds)


@pytest.fixture
def undocumented(make_mayday_case, grant_case, django_capture_on_commit_callbacks):
    """A certificate whose award committed but whose process died before the
    on-commit hand-over to the queue: the callback is never run."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        certificate = grant_case(make_mayday_case())
    assert callbacks  # the hand-over was due after commit, and never happened
    certificate.refresh_from_db()
    assert certificate.document is None
    return certificate


def _verify_documents():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_documents", stdout=out, stderr=err)
    except CommandError:
        return 1, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_the_award_commits_the_owed_pdf_with_itself_and_the_sweep_renders_it(undocumented):
    item = OutboxItem.objects.get(kind=CERTIFICATE_DOCUMENT, object_id=undocumented.pk)
    assert item.state == OutboxState.PENDING and item.attempts == 0

    # verify_documents names the certificate that has no PDF.
    code, out, err = _verify_documents()
    assert code == 1 and undocumented.number in err and "rendering pending" in err
    assert "1 valid certificates without their document" in out

    # A fresh row is left to the queue for a grace period...
    assert sweep().ran == 0
    # ...then the sweep (run_scheduler's, in a later process) renders it.
    OutboxItem.objects.filter(pk=item.pk).update(available_at=_ago(grace_seconds() + 1))
    assert sweep().ran == 1
    undocumented.refresh_from_db()
    item.refresh_from_db()
    assert undocumented.document is not None and undocumented.document.kind == "certificate"
    assert item.state == OutboxState.DONE and item.attempts == 1 and item.lease_until is None
    assert _verify_documents()[0] == 0
    assert sweep().ran == 0  # done is done


def test_the_queue_renders_it_right_after_commit(make_mayday_case, grant_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = grant_case(make_mayday_case())
    certificate.refresh_from_db()
    item = OutboxItem.objects.get(object_id=certificate.pk)
    assert certificate.document is not None and item.state == OutboxState.DONE and item.task_id


def test_a_rolled_back_decision_owes_nothing(undocumented):
    from django.db import transaction

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        outbox.owe(CERTIFICATE_DOCUMENT, undocumented.pk)
        raise Abort
    assert OutboxItem.objects.filter(object_id=undocumented.pk).count() == 1


def test_an_expired_lease_is_taken_up_again_and_the_dead_runner_writes_nothing(undocumented, settings):
    """Worker A claims the row and is killed (kill -9: no heartbeat any more).
    While its lease holds, nobody else takes the row; once it has run out,
    the sweep does (attempt 2), and should A wake up it records nothing."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    item = OutboxItem.objects.get(object_id=undocumented.pk)
    outbox.hand_over(item.pk)  # queued in the database backend's table...
    entry = DBTaskResult.objects.get(args_kwargs__args__0=item.pk)
    DBTaskResult.objects.filter(id=entry.id).update(status="RUNNING")  # ...and picked up by worker A
    dead = outbox.claim(item.pk, task_id=str(entry.id))  # noting the queue's id with its claim
    assert dead.state == OutboxState.RUNNING and dead.attempts == 1 and dead.task_id == str(entry.id)
    assert dead.lease_until <= timezone.now() + datetime.timedelta(seconds=lease_seconds())
    # A dead worker is noticed within a minute: its lease, plus one sweep.
    assert lease_seconds() + sweep_seconds() < 60

    OutboxItem.objects.filter(pk=item.pk).update(available_at=_ago(3600))
    assert outbox.claim(item.pk) is None and sweep().ran == 0  # the lease still holds
    OutboxItem.objects.filter(pk=item.pk).update(lease_until=_ago(1))
    assert sweep().ran == 1
    item.refresh_from_db()
    undocumented.refresh_from_db()
    assert item.state == OutboxState.DONE and item.attempts == 2 and undocumented.document is not None
    # The database backend's row of the dead run no longer says RUNNING.
    assert DBTaskResult.objects.get(id=entry.id).status == "FAILED"

    # Worker A wakes up: its run is no longer the row's, it changes nothing.
    OutboxItem.objects.filter(pk=item.pk).update(state=OutboxState.RUNNING, lease_until=timezone.now())
    assert outbox.run_claimed(dead) is True
    item.refresh_from_db()
    assert item.state == OutboxState.RUNNING and item.attempts == 2
    assert Certificate.objects.get(pk=undocumented.pk).document == undocumented.document  # not rendered twice


def test_two_runners_never_both_claim(undocumented):
    item = OutboxItem.objects.get(object_id=undocumented.pk)
    assert outbox.claim(item.pk) is not None
    assert outbox.claim(item.pk) is None


def test_a_failing_handler_waits_then_fails_for_good(undocumented, monkeypatch):
    def broken(certificate_id):
        raise OSError("disk full")

    monkeypatch.setitem(outbox._HANDLERS, CERTIFICATE_DOCUMENT, broken)
    item = OutboxItem.objects.get(object_id=undocumented.pk)
    OutboxItem.objects.filter(pk=item.pk).update(max_attempts=2)
    assert outbox.run_item(item.pk) is False
    item.refresh_from_db()
    assert item.state == OutboxState.PENDING and "disk full" in item.last_error
    assert item.available_at > timezone.now()  # waits before the next attempt
    assert outbox.run_item(item.pk) is None
    OutboxItem.objects.filter(pk=item.pk).update(available_at=_ago(3600))
    assert sweep().failed == 1
    item.refresh_from_db()
    assert item.state == OutboxState.FAILED and item.attempts == 2 and item.finished
    code, out, err = _verify_documents()
    assert code == 1 and "rendering failed, attempt 2 of 2" in err and "disk full" in err
    assert sweep().failed == 0  # failed for good: left for a person


def test_the_heartbeat_renews_until_the_lease_is_lost():
    beats = []
    lost = threading.Event()

    def renew():
        beats.append(1)
        if len(beats) == 3:
            lost.set()
            return False
        return True

    with Heartbeat(renew, interval=0.01) as heartbeat:
        assert lost.wait(5)
    assert heartbeat.lost and len(beats) == 3


def test_the_default_heartbeat_renews_well_within_the_lease():
    from workflows.background import leases

    assert leases.DEFAULT_HEARTBEAT_SECONDS * 3 <= leases.DEFAULT_LEASE_SECONDS < 60


@pytest.mark.parametrize("command", [("run_scheduler", "--once"), ("sweep_background",)])
def test_the_scheduler_and_the_sweep_command_take_up_owed_work(undocumented, command):
    OutboxItem.objects.filter(object_id=undocumented.pk).update(available_at=_ago(grace_seconds() + 1))
    out = io.StringIO()
    call_command(*command, stdout=out)
    undocumented.refresh_from_db()
    assert undocumented.document is not None
    assert OutboxItem.objects.get(object_id=undocumented.pk).state == OutboxState.DONE
    if command[0] == "sweep_background":
        assert "outbox: 1 done, 0 failed" in out.getvalue()


def test_a_worker_that_died_before_claiming_leaves_no_running_task_row(undocumented, settings):
    """The worker took the queue's entry (RUNNING) and died before it
    claimed the row: the sweep runs the row and closes that entry."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    item = OutboxItem.objects.get(object_id=undocumented.pk)
    outbox.hand_over(item.pk)
    entry = DBTaskResult.objects.get(args_kwargs__args__0=item.pk)
    DBTaskResult.objects.filter(id=entry.id).update(status="RUNNING")
    OutboxItem.objects.filter(pk=item.pk).update(available_at=_ago(grace_seconds() + 1))
    assert sweep().ran == 1
    assert DBTaskResult.objects.get(id=entry.id).status == "FAILED"
    assert OutboxItem.objects.get(pk=item.pk).attempts == 1
