"""Cases of kinds of campaign in the JSON API (workflows.api): a case's
answers as its page shows them (ID and mobile numbers masked: the full
numbers are read only on the page, by the district, where reading them is
recorded) and its printed application form. The engine lists them as the
case list page (the same selector, so a token's account sees its branch
only, and the same filters) and adds their attachments and certificates.
Registered from AppConfig.ready."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workflows.steps.registry import CaseApi, register_case_api

from . import cases as case_services
from .declaration import KIND_CASE_PROCESS


def _fields(case):
    version = case.kind_version
    outcome = next((o["label"] for o in case.outcomes if o["value"] == case.outcome), "")
    return [
        (_("campaign"), case.campaign.title),
        (_("version of the kind"), f"{version.title} v{version.number}"),
        (_("union"), case.organisation.name),
        (_("applicant or candidate"), case.name),
        (_("round"), case.round),
        (_("outcome of the decision"), outcome),
        # Masked whoever asks: the API never reads numbers in full.
        *case_services.answers_shown(case, full=False),
    ]


def _documents(case, user):
    return [{"kind": "application_form", "title": _("Application form (PDF)"),
             "url": reverse("kinds:case_printed", args=[case.pk])}]


register_case_api(KIND_CASE_PROCESS.key, CaseApi(fields=_fields, documents=_documents))
