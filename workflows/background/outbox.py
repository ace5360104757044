"""The outbox: `owe(kind, object_id)` inside a decision's transaction
records the work with the decision itself; after commit it is handed to
the task queue for speed, and whatever the queue never ran (the process
died before handing it over, the worker was killed mid-way) is taken up by
the sweep. Handlers must be idempotent: a row may run again after a runner
was given up for dead (rendering a certificate that has its document is a
no-op)."""

import datetime
import logging

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from workflows.background.leases import Heartbeat, abandon_task_row, lease_from, running_task_row, worker_id
from workflows.models import OutboxItem, OutboxState

logger = logging.getLogger(__name__)

_HANDLERS = {}


def register_outbox_handler(kind, handler):
    """`handler(object_id)` does the work of rows of `kind`."""
    _HANDLERS[kind] = handler


def owe(kind, object_id):
    """Record work owed once the current transaction commits. Call inside
    the transaction that makes it owed: the row commits (or rolls back)
    with it."""
    if kind not in _HANDLERS:
        raise ValueError(f"No outbox handler for {kind!r}")
    item = OutboxItem.objects.create(kind=kind, object_id=object_id)
    transaction.on_commit(lambda: hand_over(item.pk), robust=True)
    return item


def enqueue_noting_task(task, row):
    """Queue `task(row.pk)` and note the queue's id on the row (`task_id`).
    Failing here loses nothing: the row is the record, and the sweep takes
    up rows that never reached the queue."""
    model, pk = type(row), row.pk
    try:
        result = task.enqueue(pk)
    except Exception:
        logger.exception("%s %s could not be queued; the sweep will take it up", model.__name__, pk)
        return
    model.objects.filter(pk=pk, task_id="").update(task_id=str(result.id)[:64])


def hand_over(item_id):
    """Give the row to the task queue; the sweep runs rows it did not.
    One statement after the decision's commit (the queue's entry, with the
    database backend): the queue's id is not noted on the row here but by
    the worker that runs it, in the same UPDATE that claims the row
    (`run_outbox_item`); an entry whose worker died before claiming is
    found by its argument (`running_task_row`). Failing here loses
    nothing: the row is the record, and the sweep takes it up."""
    try:
        run_outbox_item.enqueue(item_id)
    except Exception:
        logger.exception("OutboxItem %s could not be queued; the sweep will take it up", item_id)


def _due(now, pending_before):
    return Q(state=OutboxState.PENDING, available_at__lte=pending_before) | Q(
        state=OutboxState.RUNNING, lease_until__lt=now
    )


def _give_up_exhausted(now):
    """Due rows that have used every attempt fail for good (shown in the
    admin; a certificate left without its PDF is named by verify_documents
    and check_integrity)."""
    for item in OutboxItem.objects.filter(_due(now, now), attempts__gte=F("max_attempts")):
        abandon_task_row(item.task_id, "Worker stopped; attempts used up.")
    return OutboxItem.objects.filter(_due(now, now), attempts__gte=F("max_attempts")).update(
        state=OutboxState.FAILED, finished=now, lease_until=None
    )


def claim(item_id, *, pending_before=None, task_id=""):
    """Take the row under a lease if it is due: waiting, or held by a
    runner whose lease ran out. The conditional update is the claim, so
    two runners never both get it (on SQLite as on PostgreSQL). `task_id`:
    the queue's id of the run claiming it (noted on the row with the
    claim). Returns the row (its `attempts` is this run's number) or None."""
    now = timezone.now()
    before = OutboxItem.objects.filter(pk=item_id).first()
    me = worker_id()
    noted = {"task_id": task_id[:64]} if task_id else {}
    taken = OutboxItem.objects.filter(_due(now, pending_before or now), pk=item_id,
                                      attempts__lt=F("max_attempts")).update(
        state=OutboxState.RUNNING, attempts=F("attempts") + 1, lease_until=lease_from(now), worker=me, **noted
    )
    if not taken:
        return None
    if before.state == OutboxState.RUNNING:
        logger.warning("Outbox item %s: worker %s stopped (lease ran out at %s); taken up again",
                       item_id, before.worker, before.lease_until)
    if before.state == OutboxState.RUNNING or pending_before is not None:
        # The queue's entry for this row, if a worker holds it as RUNNING,
        # belongs to a dead worker (or one that never got to claim the row,
        # and so never noted its id: found by its argument).
        abandon_task_row(before.task_id or running_task_row(run_outbox_item, item_id),
                         f"Worker stopped; outbox item {item_id} taken up again by {me}.")
    return OutboxItem.objects.get(pk=item_id)


def due_item_ids(*, pending_before, limit=20):
    """Rows due for the sweep, oldest first. On PostgreSQL rows another
    sweep has locked are skipped; elsewhere the claim decides."""
    now = timezone.now()
    _give_up_exhausted(now)
    with transaction.atomic():
        rows = OutboxItem.objects.filter(_due(now, pending_before)).order_by("available_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        return list(rows.values_list("pk", flat=True)[:limit])


def _ours(item):
    return OutboxItem.objects.filter(pk=item.pk, state=OutboxState.RUNNING, attempts=item.attempts)


def _retry_delay(attempt):
    return datetime.timedelta(seconds=min(300, 10 * 2 ** (attempt - 1)))


def run_claimed(item):
    """Run a claimed row's handler with a heartbeat renewing its lease;
    record done, or the failure (waiting again with a growing delay, or
    failed once its attempts are used up)."""
    handler = _HANDLERS.get(item.kind)
    try:
        with Heartbeat(lambda: _ours(item).update(lease_until=lease_from()) > 0):
            if handler is None:
                raise LookupError(f"No outbox handler for {item.kind!r}")
            handler(item.object_id)
    except Exception as exc:
        logger.exception("Outbox item %s (%s #%s), attempt %s failed", item.pk, item.kind, item.object_id,
                         item.attempts)
        now = timezone.now()
        last = item.attempts >= item.max_attempts
        _ours(item).update(
            state=OutboxState.FAILED if last else OutboxState.PENDING, lease_until=None,
            available_at=now + _retry_delay(item.attempts), finished=now if last else None,
            last_error=f"Attempt {item.attempts}: {type(exc).__name__}: {exc}"[:2000],
        )
        return False
    _ours(item).update(state=OutboxState.DONE, lease_until=None, finished=timezone.now())
    return True


def run_item(item_id, *, pending_before=None, task_id=""):
    """Claim and run one row; None when it was not due (done, or held)."""
    item = claim(item_id, pending_before=pending_before, task_id=task_id)
    if item is None:
        return None
    return run_claimed(item)


@task(takes_context=True)
def run_outbox_item(context, item_id):
    """The task-queue side of the outbox: the queue runs a row soon after
    its commit; the sweep covers what it never ran. The run notes its
    queue id on the row as it claims it."""
    run_item(item_id, task_id=str(context.task_result.id))
    return item_id
