"""State changes of the engine's own objects: certificates and print jobs.
The same rules as a case's services: one transaction, the row locked, the
state re-checked, the permission checked here, an audit entry in the same
transaction, side effects after commit."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.organisations.access import can_see_organisation, principal_in
from workflows.organisations.administration import administered_district
from workflows.audit import log_action
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models.documents import FAILURE_ERROR, FAILURE_TIMEOUT, FAILURE_WORKER_STOPPED
from workflows.models import Certificate, CertificateStatus, PrintJob, PrintJobStatus
from workflows.organisations.roles import ADMINISTRATOR

logger = logging.getLogger(__name__)


# Certificates ---------------------------------------------------------------

def certificate_revoke(*, certificate, actor, reason, ip=None):
    """Revoke a valid certificate (摘牌): the district administrator only, a
    reason required. The stored PDF stays as issued; the verification page
    says revoked from now on. A revoked certificate is never made valid
    again: the case gets a new certificate with a new number.
    `actor` None is the system (a scheduled job: a term ran out), recorded
    at the holder's district."""
    if actor is None:
        from workflows.organisations.access import district_of

        district = district_of(certificate.owner_organisation)
    else:
        district = administered_district(actor, certificate.owner_organisation)
    if district is None:
        raise NotAllowed(_("Only the district administrator can revoke a certificate."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("A reason is required to revoke a certificate."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status != CertificateStatus.VALID:
            raise AlreadyHandled(_("This certificate has already been revoked."))
        locked.status = CertificateStatus.REVOKED
        locked.revoked_on = timezone.localdate()
        locked.revoked_reason = reason
        locked.save(update_fields=["status", "revoked_on", "revoked_reason"])
        # On the case, so the revocation shows in the case's history.
        log_action(
            locked.subject, "workflows.certificate.revoked", actor=actor, organisation=district,
            role=ADMINISTRATOR, from_state=CertificateStatus.VALID, to_state=CertificateStatus.REVOKED,
            decision="revoke", comment=reason, ip=ip,
            on_behalf_of=principal_in(actor, ADMINISTRATOR, district) if actor is not None else None,
            data={"certificate": locked.number, "certificate_id": locked.pk},
        )
    for name in ("status", "revoked_on", "revoked_reason"):
        setattr(certificate, name, getattr(locked, name))
    return certificate


# Print jobs -----------------------------------------------------------------

# Why a job failed, as the page says it (the technical text stays in the log
# and in the admin's `error`). Codes are stored in PrintJob.failure.
FAILURE_MESSAGES = {
    FAILURE_ERROR: gettext_lazy(
        "An unexpected error stopped the printing. Retry; if it fails again, tell the system administrator."
    ),
    FAILURE_TIMEOUT: gettext_lazy(
        "Part of the batch took too long to print; the printing process may have run out of memory. "
        "Retry, or print fewer certificates at a time."
    ),
    FAILURE_WORKER_STOPPED: gettext_lazy(
        "The printing worker stopped before the job was finished (it may have been restarted). Retry the job."
    ),
}


def failure_message(code):
    """The user-facing reason of a failure code; any unknown or blank code
    reads as the generic one."""
    return FAILURE_MESSAGES.get(code, FAILURE_MESSAGES[FAILURE_ERROR])


def stall_timeout():
    """Seconds without progress after which a running job counts as dead:
    the longest a chunk may take (a live run reports after every chunk)."""
    return int(getattr(settings, "UNIONFLOW_PRINT_CHUNK_TIMEOUT", 900))


def print_job_is_stalled(job, now=None):
    """A running job whose worker died (killed, machine restarted): its
    lease ran out (the heartbeat renews it every few seconds whatever a
    chunk takes), or it has shown no progress for longer than a chunk may
    take (a hung worker)."""
    if job.status != PrintJobStatus.RUNNING:
        return False
    now = now or timezone.now()
    if job.lease_until is not None and job.lease_until < now:
        return True
    last = job.progressed or job.started
    if last is None:
        return True
    return now - last > datetime.timedelta(seconds=stall_timeout())


def max_print_attempts():
    """Runs a job gets when its worker dies, before it waits for a person."""
    return int(getattr(settings, "UNIONFLOW_PRINT_ATTEMPTS", 3))


def record_worker_stopped(locked):
    """`locked` (a stalled job, its row locked): its attempt is recorded as
    failed because the worker stopped, and its task row (database backend)
    is marked failed too. The caller decides what comes next."""
    from workflows.background.leases import abandon_task_row

    locked.status = PrintJobStatus.FAILED
    locked.failure = FAILURE_WORKER_STOPPED
    since = locked.lease_until or locked.progressed or locked.started
    locked.error = f"Attempt {locked.attempts}: worker {locked.worker or '?'} stopped; no sign of life since {since}."
    locked.finished = timezone.now()
    locked.lease_until = None
    logger.warning("Print job %s: %s", locked.pk, locked.error)
    abandon_task_row(locked.task_id, locked.error)
    log_action(
        locked, "workflows.print_job.failed", organisation=locked.organisation,
        from_state=PrintJobStatus.RUNNING, to_state=PrintJobStatus.FAILED,
        data={"reason": FAILURE_WORKER_STOPPED, "attempt": locked.attempts},
    )


def _queue_again(locked):
    """Back to waiting, from the start, and queued after commit."""
    locked.status = PrintJobStatus.PENDING
    locked.done = 0
    locked.task_id = ""
    locked.started = locked.finished = locked.progressed = locked.lease_until = None
    locked.save()
    _enqueue_on_commit(locked)


def _enqueue_now(job_id):
    """Hand the job to the task queue; a waiting job without a task is
    queued by the sweep."""
    from workflows.background.outbox import enqueue_noting_task
    from workflows.documents.tasks import run_print_job

    enqueue_noting_task(run_print_job, PrintJob(pk=job_id))


def _enqueue_on_commit(job):
    transaction.on_commit(lambda: _enqueue_now(job.pk))


def print_job_create(*, actor, certificates, organisation, title, series="", ip=None):
    """Queue a background job printing `certificates` (a queryset) into one
    PDF. Only a district administrator of `organisation`'s district; every
    certificate must be within the actor's reach, else NotAllowed."""
    if administered_district(actor, organisation) is None:
        raise NotAllowed(_("Only the district administrator can print certificates in bulk."))
    certificates = list(certificates.order_by("series", "sequence").select_related("owner_organisation"))
    if not certificates:
        raise RuleViolation(_("There are no certificates to print."))
    if any(not can_see_organisation(actor, c.owner_organisation) for c in certificates):
        raise NotAllowed(_("Some of these certificates are outside your organisation's branch."))
    with transaction.atomic():
        job = PrintJob.objects.create(
            title=title, organisation=organisation, series=series, total=len(certificates), created_by=actor,
        )
        job.certificates.set(certificates)
        log_action(
            job, "workflows.print_job.created", actor=actor, organisation=organisation, role=ADMINISTRATOR,
            to_state=PrintJobStatus.PENDING, ip=ip, on_behalf_of=principal_in(actor, ADMINISTRATOR, organisation),
            data={"series": series, "total": len(certificates)},
        )
        _enqueue_on_commit(job)
    return job


def print_job_retry(*, job, actor, ip=None):
    """A failed job, or a running one whose worker stopped (no progress for
    longer than a chunk may take), runs again from the start: a new PDF,
    nothing of the earlier attempt kept. The stopped run is recorded as
    failed first; should it come back to life, the attempt number it holds
    is no longer the job's and it writes nothing (workflows.documents.tasks)."""
    if administered_district(actor, job.organisation) is None:
        raise NotAllowed(_("Only the district administrator can retry a print job."))
    with transaction.atomic():
        locked = PrintJob.objects.select_for_update().get(pk=job.pk)
        if print_job_is_stalled(locked):
            record_worker_stopped(locked)
        if locked.status == PrintJobStatus.DONE:
            raise AlreadyHandled(_("This print job has already finished; its PDF is ready. It is not printed again."))
        if locked.status != PrintJobStatus.FAILED:
            raise AlreadyHandled(_("Only a failed print job can be retried."))
        locked.error = locked.failure = ""
        _queue_again(locked)
        log_action(
            locked, "workflows.print_job.retried", actor=actor, organisation=locked.organisation,
            role=ADMINISTRATOR, from_state=PrintJobStatus.FAILED, to_state=PrintJobStatus.PENDING, ip=ip,
        )
    return locked


def print_job_requeue_stopped(locked):
    """The sweep found `locked` (row locked) stalled: its worker died. It
    runs again by itself while it has attempts left (the page says so),
    else it stays failed and the page offers a retry. Returns True when it
    was queued again."""
    record_worker_stopped(locked)
    if locked.attempts >= max_print_attempts():
        locked.save()
        return False
    _queue_again(locked)  # failure stays "worker_stopped": the page says it is being retried
    log_action(
        locked, "workflows.print_job.requeued", organisation=locked.organisation,
        from_state=PrintJobStatus.FAILED, to_state=PrintJobStatus.PENDING,
        data={"reason": FAILURE_WORKER_STOPPED, "attempt": locked.attempts + 1},
    )
    return True
