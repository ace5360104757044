"""A case's files as the API lists them under `documents`: each of the
engine's attachments with its download address (the engine's view, which
checks who may). A process's `CaseApi.documents` adds its own documents
(a certificate, a report) after these."""

from django.urls import reverse

from workflows.cases.case_page import attachments_of


def attachment_documents(case):
    return [{"kind": "attachment", "title": a.original_name, "url": reverse("attachment_download", args=[a.pk])}
            for a in attachments_of(case)]
