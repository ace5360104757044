"""Background jobs (django-tasks: the database backend by default, RQ where
several machines share the work). Arguments are ids: a job reads the rows
as they are when it runs."""

import logging
import os
import tempfile

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .documents import issue_certificate_document, store_document
from .models import PrintJob, PrintJobStatus
from .printing import print_certificates

logger = logging.getLogger(__name__)


@task()
def render_certificate(certificate_id):
    issue_certificate_document(certificate_id)
    return certificate_id


def _claim(job_id):
    """Pending → running, under a row lock: a job delivered twice (a retry
    racing a slow worker) runs once."""
    with transaction.atomic():
        job = PrintJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != PrintJobStatus.PENDING:
            return None
        job.status = PrintJobStatus.RUNNING
        job.attempts += 1
        job.done = 0
        job.started = timezone.now()
        job.save(update_fields=["status", "attempts", "done", "started"])
        return job


@task()
def run_print_job(job_id):
    """Print a job's certificates into one PDF, recording progress as the
    chunks are joined. A failure is recorded on the job (the page says why
    and offers a retry) and re-raised for the task backend."""
    job = _claim(job_id)
    if job is None:
        return None
    ids = list(job.certificates.order_by("series", "sequence").values_list("pk", flat=True))

    def progress(done, total):
        PrintJob.objects.filter(pk=job_id, status=PrintJobStatus.RUNNING).update(done=done)

    fd, path = tempfile.mkstemp(prefix="unionflow-job-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as out:
            print_certificates(ids, out, progress=progress)
        with transaction.atomic():
            document = store_document(
                kind="certificate_batch", title=job.title, path=path, filename=f"print-job-{job.pk}.pdf", subject=job
            )
            PrintJob.objects.filter(pk=job_id).update(
                status=PrintJobStatus.DONE, done=len(ids), total=len(ids), document=document, finished=timezone.now()
            )
    except Exception as exc:
        logger.exception("Print job %s failed", job_id)
        PrintJob.objects.filter(pk=job_id).update(
            status=PrintJobStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished=timezone.now()
        )
        raise
    finally:
        os.unlink(path)
    return job_id
