"""Background jobs (django-tasks: the database backend by default, RQ where
several machines share the work). Arguments are ids: a job reads the rows
as they are when it runs."""

import logging
import os
import tempfile

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks import task

from workflows.audit import log_action
from workflows.background.leases import Heartbeat, lease_from, worker_id
from workflows.background.outbox import owe, register_outbox_handler
from workflows.documents.rendering import issue_certificate_document, store_document
from workflows.models import PrintJob, PrintJobStatus
from workflows.documents.printing import ChunkTimeout, page_counter, print_certificates
from workflows.models.documents import FAILURE_ERROR, FAILURE_TIMEOUT

logger = logging.getLogger(__name__)


CERTIFICATE_DOCUMENT = "certificate.render"
register_outbox_handler(CERTIFICATE_DOCUMENT, issue_certificate_document)


def owe_certificate_document(certificate):
    """Inside the transaction that issues `certificate`: its PDF is owed,
    recorded with the certificate itself (workflows.background.outbox), so
    that a crash right after the commit cannot leave it without one."""
    return owe(CERTIFICATE_DOCUMENT, certificate.pk)


@task()
def render_certificate(certificate_id):
    """Kept for rows queued before the outbox; new work goes through it."""
    issue_certificate_document(certificate_id)
    return certificate_id


class Superseded(Exception):
    """This run's attempt is no longer the job's (it was given up for dead
    and retried): it stops and writes nothing."""


def _claim(job_id):
    """Pending → running, under a row lock, taking the next attempt number:
    a job delivered twice (a retry racing a slow worker) runs once."""
    with transaction.atomic():
        job = PrintJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != PrintJobStatus.PENDING:
            return None
        job.status = PrintJobStatus.RUNNING
        job.attempts += 1
        job.done = 0
        job.started = job.progressed = timezone.now()
        job.lease_until = lease_from(job.started)
        job.worker = worker_id()
        job.save(update_fields=["status", "attempts", "done", "started", "progressed", "lease_until", "worker"])
        return job


def _ours(job_id, attempt):
    """The job's row while `attempt` is still its running attempt."""
    return PrintJob.objects.filter(pk=job_id, status=PrintJobStatus.RUNNING, attempts=attempt)


def _record_failure(job_id, attempt, exc):
    reason = FAILURE_TIMEOUT if isinstance(exc, ChunkTimeout) else FAILURE_ERROR
    with transaction.atomic():
        job = _ours(job_id, attempt).select_for_update().first()
        if job is None:  # superseded meanwhile: the new attempt owns the job
            return
        job.status = PrintJobStatus.FAILED
        job.failure = reason
        job.error = f"Attempt {attempt}: {type(exc).__name__}: {exc}"[:2000]
        job.finished = timezone.now()
        job.lease_until = None
        job.save(update_fields=["status", "failure", "error", "finished", "lease_until"])
        log_action(
            job, "workflows.print_job.failed", organisation=job.organisation,
            from_state=PrintJobStatus.RUNNING, to_state=PrintJobStatus.FAILED,
            data={"reason": reason, "attempt": attempt},
        )


@task()
def run_print_job(job_id):
    """Print a job's certificates into one PDF, recording progress as the
    chunks are joined. A failure is recorded on the job (the page says why
    and offers a retry) and re-raised for the task backend. Every write is
    conditional on this run's attempt still being the job's, so a run that
    was given up for dead and retried can neither move the new run's
    progress nor replace its result."""
    job = _claim(job_id)
    if job is None:
        return None
    attempt = job.attempts
    ids = list(job.certificates.order_by("series", "sequence").values_list("pk", flat=True))

    # The heartbeat renews the lease whatever a chunk takes, and records the
    # pages laid out so far (progress finer than a chunk); it finds out, too,
    # when the job was given up for dead and handed to another run.
    laid_out = page_counter()

    def beat():
        ours = _ours(job_id, attempt)
        if not ours.update(lease_until=lease_from()):
            return False
        ours.filter(done__lt=min(laid_out.value, len(ids))).update(
            done=min(laid_out.value, len(ids)), progressed=timezone.now()
        )
        return True

    heartbeat = Heartbeat(beat, interval=float(getattr(settings, "UNIONFLOW_PRINT_HEARTBEAT_SECONDS", 2)))

    def progress(done, total):
        # `done` never goes down: the heartbeat may have counted further.
        if heartbeat.lost or not _ours(job_id, attempt).update(
            done=Greatest(F("done"), done), progressed=timezone.now(), lease_until=lease_from()
        ):
            raise Superseded()

    fd, path = tempfile.mkstemp(prefix="unionflow-job-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as out, heartbeat:
            print_certificates(ids, out, progress=progress, laid_out=laid_out)
        with transaction.atomic():
            if _ours(job_id, attempt).select_for_update().first() is None:
                raise Superseded()
            document = store_document(
                kind="certificate_batch", title=job.title, path=path, filename=f"print-job-{job.pk}.pdf", subject=job
            )
            _ours(job_id, attempt).update(
                status=PrintJobStatus.DONE, done=len(ids), total=len(ids), document=document,
                progressed=timezone.now(), finished=timezone.now(), lease_until=None, failure="", error="",
            )
    except Superseded:
        logger.warning("Print job %s: attempt %s was superseded by a retry; its output is dropped", job_id, attempt)
        return None
    except Exception as exc:
        # The technical text goes to the log and the admin; the page shows
        # the translated message of the failure's code.
        logger.exception("Print job %s (attempt %s) failed", job_id, attempt)
        _record_failure(job_id, attempt, exc)
        raise
    finally:
        os.unlink(path)
    return job_id
