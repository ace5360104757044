"""State changes of the engine's own objects: certificates and print jobs.
The same rules as a case's services: one transaction, the row locked, the
state re-checked, the permission checked here, an audit entry in the same
transaction, side effects after commit."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import can_see_organisation, is_district_admin, memberships
from .audit import log_action
from .exceptions import AlreadyHandled, NotAllowed, RuleViolation
from .models import Certificate, CertificateStatus, PrintJob, PrintJobStatus, Role


def administered_district(user, organisation):
    """The district federation above `organisation` that `user` administers,
    or None."""
    root_id = organisation.ancestor_ids[0] if organisation.ancestor_ids else organisation.pk
    for m in memberships(user):
        if m.role == Role.DISTRICT_ADMIN and m.organisation.parent_id is None and m.organisation_id == root_id:
            return m.organisation
    return None


# Certificates ---------------------------------------------------------------

def certificate_revoke(*, certificate, actor, reason, ip=None):
    """Revoke a valid certificate (摘牌): the district administrator only, a
    reason required. The stored PDF stays as issued; the verification page
    says revoked from now on. A revoked certificate is never made valid
    again: the case gets a new certificate with a new number."""
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
            role=Role.DISTRICT_ADMIN, from_state=CertificateStatus.VALID, to_state=CertificateStatus.REVOKED,
            decision="revoke", comment=reason, ip=ip,
            data={"certificate": locked.number, "certificate_id": locked.pk},
        )
    for name in ("status", "revoked_on", "revoked_reason"):
        setattr(certificate, name, getattr(locked, name))
    return certificate


# Print jobs -----------------------------------------------------------------

def _enqueue_on_commit(job):
    from .tasks import run_print_job

    def enqueue():
        result = run_print_job.enqueue(job.pk)
        PrintJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)


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
            job, "workflows.print_job.created", actor=actor, organisation=organisation, role=Role.DISTRICT_ADMIN,
            to_state=PrintJobStatus.PENDING, ip=ip, data={"series": series, "total": len(certificates)},
        )
        _enqueue_on_commit(job)
    return job


def print_job_retry(*, job, actor, ip=None):
    """A failed job runs again from the start (a new PDF; nothing of the
    failed attempt is kept)."""
    if not is_district_admin(actor) or administered_district(actor, job.organisation) is None:
        raise NotAllowed(_("Only the district administrator can retry a print job."))
    with transaction.atomic():
        locked = PrintJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != PrintJobStatus.FAILED:
            raise AlreadyHandled(_("Only a failed print job can be retried."))
        locked.status = PrintJobStatus.PENDING
        locked.done = 0
        locked.error = ""
        locked.task_id = ""
        locked.started = locked.finished = None
        locked.save()
        log_action(
            locked, "workflows.print_job.retried", actor=actor, organisation=locked.organisation,
            role=Role.DISTRICT_ADMIN, from_state=PrintJobStatus.FAILED, to_state=PrintJobStatus.PENDING, ip=ip,
        )
        _enqueue_on_commit(locked)
    return locked
