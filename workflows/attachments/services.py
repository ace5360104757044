"""Making and saving attachments. A process builds unsaved attachments
from a valid form (`from_upload`, and `held.take` for files kept from a
post that came back with errors) and saves them with its case inside its
own transaction (`attach`); if that transaction fails, `discard` removes the
files already written."""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from workflows.documents.storage import private_storage
from workflows.documents.uploads import check_upload
from workflows.models import Attachment


def sha256_of(file):
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(65536), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def extension_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else "bin"


def from_upload(upload, *, kind=""):
    """An unsaved Attachment for a checked upload. The stored name is
    neutral (no person's name on disk); the chosen name is kept for display
    and the download."""
    content_type = getattr(upload, "checked_content_type", None) or check_upload(upload)
    original_name = getattr(upload, "original_name", upload.name)
    upload.original_name = original_name  # held.hold may keep it after a failed save
    upload.name = "attachment." + extension_of(original_name)
    return Attachment(file=upload, original_name=original_name[:255], content_type=content_type,
                      size=upload.size, sha256=sha256_of(upload), kind=str(kind)[:50])


def attach(case, attachments, *, actor):
    """Save `attachments` with `case`. Held files they were copied from are
    deleted once the transaction commits."""
    case_type = ContentType.objects.get_for_model(case)
    for attachment in attachments:
        attachment.case_type = case_type
        attachment.case_id = case.pk
        attachment.uploaded_by = actor
        attachment.save()
        held_path = getattr(attachment, "held_path", None)
        if held_path:
            transaction.on_commit(lambda path=held_path: private_storage().delete(path))
    return attachments


def discard(attachments):
    """Files written for attachments whose transaction rolled back would be
    orphans."""
    for attachment in attachments:
        if getattr(attachment.file, "_committed", False) and attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
