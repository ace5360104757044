"""Leases and heartbeats. A runner holds its row until `lease_until`; a
thread beside the work pushes that moment forward every few seconds. When
the process dies the heartbeat stops with it, the lease runs out, and the
sweep (workflows.background.sweep) sees it within a minute."""

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)


# A runner holds its row this long without a heartbeat. With a heartbeat
# every 10 s (three chances per lease) and a sweep every 10 s, a dead runner
# is noticed within 50 s.
DEFAULT_LEASE_SECONDS = 40
DEFAULT_HEARTBEAT_SECONDS = 10


def lease_seconds():
    return int(getattr(settings, "UNIONFLOW_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def heartbeat_seconds():
    return float(getattr(settings, "UNIONFLOW_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS))


def lease_from(now=None):
    return (now or timezone.now()) + datetime.timedelta(seconds=lease_seconds())


def worker_id():
    """Names the process holding a lease (shown in the admin and the log)."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:100]


class Heartbeat:
    """`with Heartbeat(renew):` calls `renew()` every heartbeat_seconds()
    from a thread while the block runs. `renew` returns False when the
    lease is no longer ours (the row was given up for dead and taken by
    another runner): `lost` then becomes True and the work should stop
    writing. The thread uses its own database connection and closes it."""

    def __init__(self, renew, interval=None):
        self.renew = renew
        self.interval = heartbeat_seconds() if interval is None else interval
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="unionflow-heartbeat", daemon=True)

    def _beat(self):
        try:
            while not self._stop.wait(self.interval):
                try:
                    if not self.renew():
                        self.lost = True
                        return
                except Exception:  # a database hiccup: try again at the next beat
                    logger.exception("Heartbeat failed")
        finally:
            connection.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)
        return False


def _task_rows():
    """The database backend's model, or None where it is not installed."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return None
    from django.apps import apps

    return DBTaskResult if apps.is_installed("django_tasks_db") else None


def running_task_row(task, *args):
    """The id of the database backend's RUNNING row of `task(*args)`, or ""
    (none, or another backend): work handed to the queue without noting
    the queue's id is found by what it was given to run. Read only when a
    runner is given up for dead."""
    DBTaskResult = _task_rows()
    if DBTaskResult is None:
        return ""
    rows = DBTaskResult.objects.filter(task_path=task.module_path, status="RUNNING")
    for index, arg in enumerate(args):
        rows = rows.filter(**{f"args_kwargs__args__{index}": arg})
    found = rows.values_list("id", flat=True).first()
    return str(found) if found is not None else ""


def abandon_task_row(task_id, reason):
    """The database backend's row of a task whose worker died stays RUNNING
    for ever: mark it failed, naming why. No-op for other backends."""
    if not task_id:
        return 0
    DBTaskResult = _task_rows()
    if DBTaskResult is None:
        return 0
    try:
        return DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED", finished_at=timezone.now(), exception_class_path="workflows.background.WorkerStopped",
            traceback=reason,
        )
    except Exception:  # not a UUID (another backend's id)
        logger.debug("No database task row %s", task_id, exc_info=True)
        return 0
