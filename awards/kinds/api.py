"""Cases of kinds of campaign in the JSON API (workflows.api): listed
through the same list function as the case list page (`filtered_cases`:
the same selector, so a token's account sees its branch only, and the same
filters), a case's answers as its page shows them (ID and mobile numbers
masked: the full numbers are read only on the page, by the district, where
reading them is recorded), and the files the page offers. Registered from
AppConfig.ready."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workflows.cases.lists import filtered_cases
from workflows.steps.registry import CaseApi, register_case_api

from . import cases as case_services
from . import endings
from .declaration import KIND_CASE_PROCESS


def _cases(user, params):
    return filtered_cases(KIND_CASE_PROCESS.key, user, params)[1]


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
    # The case's page offers these to whoever reads it (the engine's
    # download and certificate pages check their own access again).
    shown = [{"kind": "attachment", "title": a.original_name, "url": reverse("attachment_download", args=[a.pk])}
             for a in case.attachment_files.order_by("kind", "-uploaded_at", "-pk")]
    shown.append({"kind": "application_form", "title": _("Application form (PDF)"),
                  "url": reverse("kinds:case_printed", args=[case.pk])})
    shown += [{"kind": "certificate", "title": c.number, "url": reverse("certificate_pdf", args=[c.pk])}
              for c in endings.certificates_of(case)]
    return shown


register_case_api(KIND_CASE_PROCESS.key, CaseApi(
    cases=_cases, fields=_fields, documents=_documents,
    filters=(("q", _("applicant's name, union or a public answer")), ("campaign", _("campaign (id)")),
             ("state", _("status")), ("year", _("year"))),
    # Every step but the revision (the union's own form) and the notice
    # (manual: the engine's notice pages) is decided with a comment alone.
    decision_steps=tuple(step.name for step in KIND_CASE_PROCESS.steps if not step.manual and not step.form_url),
))
