"""Print jobs a dead process left behind, taken up by the sweep
(workflows.background.sweep): a running job whose lease ran out is queued
again by itself (or, its attempts used up, shown as failed with a retry);
a waiting job that never reached the task queue (the server died between
the commit and the hand-over) is queued."""

import logging

from django.db import transaction
from django.utils import timezone

from workflows.documents.services import _enqueue_now, print_job_is_stalled, print_job_requeue_stopped
from workflows.models import PrintJob, PrintJobStatus

logger = logging.getLogger(__name__)


def recover_print_jobs(*, pending_before):
    """Returns (queued again, failed for good, handed over)."""
    requeued = failed = 0
    now = timezone.now()
    # Running jobs are few (one per worker): test each.
    for job in PrintJob.objects.filter(status=PrintJobStatus.RUNNING).only("pk", "status", "lease_until",
                                                                           "progressed", "started"):
        if not print_job_is_stalled(job, now):
            continue
        with transaction.atomic():
            locked = PrintJob.objects.select_for_update().get(pk=job.pk)
            if not print_job_is_stalled(locked, now):
                continue
            if print_job_requeue_stopped(locked):
                requeued += 1
            else:
                failed += 1
    handed = 0
    for job in PrintJob.objects.filter(status=PrintJobStatus.PENDING, task_id="", created__lt=pending_before):
        logger.warning("Print job %s was never queued (the process stopped before); queuing it", job.pk)
        _enqueue_now(job.pk)
        handed += 1
    return requeued, failed, handed


def certificates_without_document():
    """Valid certificates that have no PDF, each with what the background
    work says of it, as sentences (for verify_documents and check_integrity)."""
    from workflows.documents.tasks import CERTIFICATE_DOCUMENT
    from workflows.models import Certificate, CertificateStatus, OutboxItem

    missing = list(Certificate.objects.filter(status=CertificateStatus.VALID, document__isnull=True).order_by("pk"))
    owed = {}
    for item in OutboxItem.objects.filter(kind=CERTIFICATE_DOCUMENT, object_id__in=[c.pk for c in missing]):
        owed[item.object_id] = item  # the latest row wins (ordered by pk)
    lines = []
    for certificate in missing:
        item = owed.get(certificate.pk)
        if item is None:
            state = "no rendering recorded"
        else:
            state = f"rendering {item.state}, attempt {item.attempts} of {item.max_attempts}"
            if item.last_error:
                state += f", last error: {item.last_error.splitlines()[0][:200]}"
        lines.append(f"certificate #{certificate.pk} {certificate.number}: no document ({state})")
    return lines
