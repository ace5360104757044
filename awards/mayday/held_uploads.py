"""Attachments chosen on a form that came back with errors.

A browser never refills a file input, so a form re-rendered after an error
in another field would silently lose the files chosen. Files that passed
their own checks (size and content) are kept aside in private storage and
named in the submitter's session; the re-rendered form lists them ("kept,
no need to choose again") and posts their keys back; the next valid post
attaches them. Keys are only honoured from the session that made them."""

import uuid

from awards.mayday.models import Attachment
from workflows.documents.storage import private_storage

SESSION_KEY = "awards_held_attachments"
FIELD = "held_attachments"


def hold(request, form):
    """Keep the form's valid new uploads aside; returns [{key, name, size}]
    of every file now held for the form: those posted back and the new."""
    held = request.session.get(SESSION_KEY, {})
    kept = [key for key in request.POST.getlist(FIELD) if key in held]
    new_uploads = [] if "attachments" in form.errors else form.cleaned_data.get("attachments") or []
    for upload in new_uploads:
        key = uuid.uuid4().hex
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else "bin"
        path = private_storage().save(f"held/{key}.{extension}", upload)
        held[key] = {"path": path, "name": upload.name[:255], "content_type": upload.checked_content_type,
                     "size": upload.size}
        kept.append(key)
    request.session[SESSION_KEY] = held
    return [{"key": key, "name": held[key]["name"], "size": held[key]["size"]} for key in kept]


def take(request):
    """Unsaved Attachment objects for the held files the form posted back;
    they leave the session (the files stay, now the attachments' own)."""
    held = request.session.get(SESSION_KEY, {})
    attachments = []
    for key in request.POST.getlist(FIELD):
        item = held.pop(key, None)
        if item is None:
            continue
        attachment = Attachment(
            original_name=item["name"], content_type=item["content_type"], size=item["size"]
        )
        attachment.file.name = item["path"]  # already stored: saved as is
        attachments.append(attachment)
    request.session[SESSION_KEY] = held
    return attachments
