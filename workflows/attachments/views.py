"""The one download of an attachment, for every process. Who may download
is who may see the case: the case's process's selector (the same rule as
its case page); anyone else gets 404, not 403, so that a file's existence
is not confirmed to them."""

import unicodedata
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET

from workflows.models import Attachment
from workflows.steps.registry import process_for


def may_see_case(user, case_type_id, case_id):
    model = ContentType.objects.get_for_id(case_type_id).model_class()
    process = process_for(model) if model is not None else None
    if process is None or process.selector is None:
        return False
    return process.selector(user).filter(pk=case_id).exists()


def content_disposition(name, *, as_attachment=True):
    """`attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 with RFC
    5987's encoding): the chosen name as typed, Chinese included, for every
    browser that reads filename*, and a plain ASCII stand-in with the same
    extension for those that do not."""
    fallback = "".join(
        ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_"
        for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    ) or "attachment"
    disposition = "attachment" if as_attachment else "inline"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment, pk=pk)
    if not may_see_case(request.user, attachment.case_type_id, attachment.case_id):
        raise Http404()
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition(attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def legacy_download(request, case_pk, old_pk, *, case_model):
    """A download link from before the engine held the attachments
    (/<process>/<case>/attachments/<old id>/), routed straight from a
    process's URLs with {"case_model": its model}: the user must see the
    case, then they are sent to the file's one address."""
    case_type = ContentType.objects.get_for_model(case_model)
    if not may_see_case(request.user, case_type.pk, case_pk):
        raise Http404()
    attachment = Attachment.objects.filter(case_type=case_type, case_id=case_pk, legacy_id=old_pk).first()
    if attachment is None:
        raise Http404()
    return redirect("attachment_download", pk=attachment.pk, permanent=True)
