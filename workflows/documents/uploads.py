"""Upload checks by content, not by name: a file called .pdf must start
like a PDF, a .docx must be a zip holding a Word document."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED_KINDS = {
    # extension: (label, sniff(head_bytes, file) -> bool, content type)
    "pdf": ("PDF", lambda head, f: head.startswith(b"%PDF-"), "application/pdf"),
    "jpg": ("JPG", lambda head, f: head.startswith(b"\xff\xd8\xff"), "image/jpeg"),
    "jpeg": ("JPG", lambda head, f: head.startswith(b"\xff\xd8\xff"), "image/jpeg"),
    "png": ("PNG", lambda head, f: head.startswith(b"\x89PNG\r\n\x1a\n"), "image/png"),
    "docx": (
        "DOCX",
        lambda head, f: head.startswith(b"PK\x03\x04") and _is_docx(f),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


def _is_docx(f):
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as zf:
            return "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        f.seek(0)


def check_upload(f):
    """Validate an UploadedFile; returns its content type. Raises
    ValidationError with a message in the user's language."""
    limit = settings.UPLOAD_MAX_BYTES
    if f.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {"name": f.name, "size": filesizeformat(f.size), "limit": filesizeformat(limit)}
        )
    if f.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": f.name})
    ext = f.name.rsplit(".", 1)[-1].lower() if "." in f.name else ""
    kind = ALLOWED_KINDS.get(ext)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not an accepted kind of file. Accepted: PDF, JPG, PNG, DOCX.") % {"name": f.name}
        )
    label, sniff, content_type = kind
    f.seek(0)
    head = f.read(16)
    f.seek(0)
    if not sniff(head, f):
        raise ValidationError(
            _("“%(name)s” is named as a %(kind)s file but its content is not %(kind)s.") % {"name": f.name, "kind": label}
        )
    return content_type
