"""A case's files as the API lists them under `documents`: what any case
has, each with its download address (the engine's views, which check who
may again): its attachments, then its certificates the user may take a copy
of, newest first, through the engine's document view (a revoked one comes
stamped 已撤销). A process's `CaseApi.documents` adds its own documents (a
report, a printed form) after these."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from workflows.cases.case_page import attachments_of
from workflows.documents.case_certificates import may_take_copy
from workflows.models import Certificate


def attachment_documents(case):
    return [{"kind": "attachment", "title": a.original_name, "url": reverse("attachment_download", args=[a.pk])}
            for a in attachments_of(case)]


def certificate_documents(case, user):
    certificates = Certificate.objects.filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk)
    return [{"kind": "certificate", "title": c.number, "url": reverse("certificate_pdf", args=[c.pk])}
            for c in certificates.select_related("owner_organisation").order_by("-created", "-pk")
            if may_take_copy(user, c.owner_organisation)]
