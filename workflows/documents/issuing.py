"""Issuing a certificate (or a plaque) of a case or a title, the same for
every process: recorded in the granting decision's transaction, in the
district's language whatever the decider browses in, audited on its subject,
and its PDF owed to the outbox (rendered after commit, or on first
download if the worker has not got to it). The process numbers it in its
series under its round's lock (docs/lock-order.md)."""

from django.conf import settings
from django.utils import timezone, translation

from workflows.audit import log_action
from workflows.models import Certificate
from workflows.organisations.roles import ADMINISTRATOR


def issue_certificate(*, subject, action, actor, organisation, role=ADMINISTRATOR, data=None, **fields):
    """Record the certificate of `subject` (series, sequence, number, holder,
    title, wording, issuer, layout, owner: `fields`), issued today; audited
    on `subject` as `action` (by `role` at `organisation`) with its number,
    its id and `data`."""
    with translation.override(settings.LANGUAGE_CODE):
        certificate = Certificate.objects.create(subject=subject, issued_on=timezone.localdate(), **fields)
    log_action(subject, action, actor=actor, organisation=organisation, role=role,
               data={"certificate": certificate.number, "certificate_id": certificate.pk, **(data or {})})
    from workflows.documents.tasks import owe_certificate_document

    owe_certificate_document(certificate)
    return certificate
