"""Work left running by a worker that is gone: what `manage.py
check_integrity` reports as "running without a worker".

A print job's running attempt shows a sign of life (`progressed`) at its
claim and as its pages are laid out; an outbox row held by a runner has a
lease its heartbeat renews; a background task (django-tasks' database
backend) is marked running by the worker that claimed it and finished by
the same worker. "Gone" means: no sign of life (or the lease ran out) for
`stale_after` seconds; the sweep (workflows.background.sweep) should have
taken such work up well before. With `stale_after=0` (no worker
is running, e.g. after the crash test stopped them) anything still running
is left behind."""

import datetime

from django.apps import apps
from django.utils import timezone

from workflows.models import OutboxItem, OutboxState, PrintJob, PrintJobStatus


def _cutoff(stale_after):
    return timezone.now() - datetime.timedelta(seconds=stale_after)


def print_job_problems(stale_after):
    problems = []
    cutoff = _cutoff(stale_after)
    for job in PrintJob.objects.filter(status=PrintJobStatus.RUNNING).order_by("pk"):
        seen = job.progressed or job.started
        if seen is None or seen <= cutoff:
            problems.append(f"print job #{job.pk}: running (attempt {job.attempts}, {job.done}/{job.total}) "
                            f"with no worker: no sign of life since {seen}")
    return problems


def task_problems(stale_after):
    """Background tasks claimed and never finished (the database backend
    only: other backends keep their queues elsewhere)."""
    if not apps.is_installed("django_tasks_db"):
        return []
    from django_tasks_db.models import DBTaskResult

    cutoff = _cutoff(stale_after)
    # A long print job's task is alive while its job shows progress.
    alive_jobs = set(PrintJob.objects.filter(status=PrintJobStatus.RUNNING, progressed__gt=cutoff)
                     .values_list("pk", flat=True))
    problems = []
    for result in DBTaskResult.objects.running().filter(started_at__lte=cutoff).order_by("started_at"):
        args = (result.args_kwargs or {}).get("args") or [None]
        if result.task_path.endswith(".run_print_job") and args[0] in alive_jobs:
            continue
        problems.append(f"task {result.id} ({result.task_path}): running with no worker since {result.started_at} "
                        f"(worker {result.worker_ids[-1] if result.worker_ids else '?'})")
    return problems


def outbox_problems(stale_after):
    """Work owed after a commit, held by a runner whose lease ran out, or
    owed and not taken up by anyone."""
    cutoff = _cutoff(stale_after)
    problems = []
    for item in OutboxItem.objects.filter(state=OutboxState.RUNNING, lease_until__lte=cutoff).order_by("pk"):
        problems.append(f"background work {item}: running with no worker, its lease ran out at {item.lease_until} "
                        f"(worker {item.worker or '?'})")
    for item in OutboxItem.objects.filter(state=OutboxState.PENDING, available_at__lte=cutoff).order_by("pk"):
        problems.append(f"background work {item}: owed since {item.available_at} and not taken up "
                        f"(attempt {item.attempts} of {item.max_attempts})")
    return problems
