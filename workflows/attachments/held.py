"""Attachments chosen on a form that came back with errors.

A browser never refills a file input, so a form re-rendered after an error
in another field would silently lose the files chosen. Files that passed
their own checks (size and content) are kept aside in private storage and
named in the submitter's session; the re-rendered form lists them ("kept,
no need to choose again", templates/workflows/_held_attachments.html) and
posts their keys back; the next valid post attaches them. Keys are only
honoured from the session that made them. Held files nobody came back for
are deleted by the daily `prune_held_uploads` (after HELD_FOR)."""

import datetime
import uuid

from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import timezone

from workflows.attachments.fields import attachment_field_names, cleaned_uploads
from workflows.attachments.services import extension_of, sha256_of
from workflows.documents.storage import private_storage
from workflows.models import Attachment

SESSION_KEY = "held_attachments"
FIELD = "held_attachments"
HELD_FOLDER = "held"
HELD_FOR = datetime.timedelta(days=1)


def hold(request, form):
    """Keep the form's valid new uploads aside (every attachment field of
    the form that has no error of its own); returns [{key, name, size,
    field}] of every file now held for the form: those posted back and the
    new."""
    held = request.session.get(SESSION_KEY, {})
    kept = [key for key in request.POST.getlist(FIELD) if key in held]
    cleaned = getattr(form, "cleaned_data", {})
    for name in attachment_field_names(form):
        if name in form.errors or name not in cleaned:
            continue
        for upload in cleaned_uploads(form, name):
            key = uuid.uuid4().hex
            chosen_name = getattr(upload, "original_name", upload.name)
            upload.seek(0)
            # Copied from the open upload, never moved by its temporary path:
            # after a refused save the attachment's storage has moved that
            # file away already (a file past FILE_UPLOAD_MAX_MEMORY_SIZE).
            path = private_storage().save(f"{HELD_FOLDER}/{key}.{extension_of(chosen_name)}",
                                          File(upload.file, name=chosen_name))
            held[key] = {"path": path, "name": chosen_name[:255], "content_type": upload.checked_content_type,
                         "size": upload.size, "sha256": sha256_of(upload), "field": name}
            kept.append(key)
    request.session[SESSION_KEY] = held
    return [{"key": key, "name": held[key]["name"], "size": held[key]["size"], "field": held[key].get("field", "")}
            for key in kept]


def take(request):
    """Unsaved Attachment objects for the held files the form posted back,
    each with `held_field` (the form field it was chosen in); they leave the
    session. The file is copied to the attachment's own place (the held
    copy is deleted when the case's transaction commits: services.attach),
    so that pruning held files never touches an attachment."""
    held = request.session.get(SESSION_KEY, {})
    storage = private_storage()
    attachments = []
    for key in request.POST.getlist(FIELD):
        item = held.pop(key, None)
        if item is None or not storage.exists(item["path"]):
            continue
        with storage.open(item["path"], "rb") as handle:
            content = ContentFile(handle.read(), name="attachment." + extension_of(item["name"]))
        attachment = Attachment(original_name=item["name"], content_type=item["content_type"], size=item["size"],
                                sha256=item.get("sha256", ""))
        attachment.file.save(content.name, content, save=False)
        attachment.held_path = item["path"]
        attachment.held_item = (key, item)
        attachment.held_field = item.get("field", "")
        attachments.append(attachment)
    request.session[SESSION_KEY] = held
    return attachments


def put_back(request, attachments):
    """After a save that failed (its transaction rolled back): the held
    files taken for it are held again, their copies deleted, so that the
    re-rendered form still lists them."""
    held = request.session.get(SESSION_KEY, {})
    for attachment in attachments:
        key_item = getattr(attachment, "held_item", None)
        if key_item is None:
            continue
        key, item = key_item
        held[key] = item
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
    request.session[SESSION_KEY] = held


def prune_held(*, older_than=HELD_FOR, now=None):
    """Delete held files older than `older_than`; returns how many. A file
    an attachment row names (a process once saved taken files in place
    in the held folder) is never deleted."""
    storage = private_storage()
    if not storage.exists(HELD_FOLDER):
        return 0
    cutoff = (now or timezone.now()) - older_than
    in_use = set(Attachment.objects.filter(file__startswith=f"{HELD_FOLDER}/").values_list("file", flat=True))
    deleted = 0
    for name in storage.listdir(HELD_FOLDER)[1]:
        path = f"{HELD_FOLDER}/{name}"
        if path not in in_use and storage.get_modified_time(path) < cutoff:
            storage.delete(path)
            deleted += 1
    return deleted
