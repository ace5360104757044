"""The sweep: run by `manage.py run_scheduler` every few seconds (and by
`manage.py sweep_background`). It runs the outbox rows the task queue did
not (never handed over, or their runner died: lease ran out) and takes up
print jobs whose worker stopped. Safe to run in several processes at once:
every take-over is a conditional update."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from workflows.background.outbox import due_item_ids, run_item

logger = logging.getLogger(__name__)


def sweep_seconds():
    return float(getattr(settings, "UNIONFLOW_SWEEP_SECONDS", 10))


def grace_seconds():
    """How long a fresh row is left to the task queue before the sweep runs
    it itself."""
    return int(getattr(settings, "UNIONFLOW_OUTBOX_GRACE_SECONDS", 15))


@dataclass
class SweepResult:
    ran: int = 0
    failed: int = 0
    print_jobs_requeued: int = 0
    print_jobs_failed: int = 0
    print_jobs_queued: int = 0


def sweep(*, limit=20):
    from workflows.documents.recovery import recover_print_jobs

    result = SweepResult()
    pending_before = timezone.now() - datetime.timedelta(seconds=grace_seconds())
    for item_id in due_item_ids(pending_before=pending_before, limit=limit):
        outcome = run_item(item_id, pending_before=pending_before)
        if outcome is True:
            result.ran += 1
        elif outcome is False:
            result.failed += 1
    recovered = recover_print_jobs(pending_before=pending_before)
    result.print_jobs_requeued, result.print_jobs_failed, result.print_jobs_queued = recovered
    if result.ran or result.failed or any(recovered):
        logger.info("Sweep: %s", result)
    return result
