"""The May Day award's part of the JSON API (workflows.api): its list's
filters, a nomination's fields as its page shows them (the ID number
masked: the full number is read only on the page, where reading it is
recorded), its documents; and what its case page shows of a nomination and
compares between rounds (workflows.cases.revisions). Registered from
AppConfig.ready."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from awards.mayday import selectors
from awards.mayday.declaration import MAYDAY
from awards.mayday.models import NominationState as S
from workflows.api.documents import attachment_documents
from workflows.cases.lists import filtered_cases
from workflows.cases.revisions import CaseFields, field_rows, register_case_fields
from workflows.dataforms.identity import masked_id_number
from workflows.documents.case_certificates import certificate_of, may_take_copy
from workflows.steps.registry import CaseApi, register_case_api


def _cases(user, params):
    return filtered_cases(MAYDAY.key, user, params)[1].select_related("organisation")


def _fields(nomination):
    return [(_("campaign"), nomination.campaign.title), (_("award"), nomination.get_kind_display()),
            *field_rows(nomination)]


def _documents(nomination, user):
    shown = attachment_documents(nomination)
    if nomination.state == S.AWARDED and may_take_copy(user, nomination.organisation):
        certificate = certificate_of(nomination)
        if certificate is not None:
            shown.append({"kind": "certificate", "title": certificate.number,
                          "url": reverse("awards:certificate_download", args=[nomination.pk])})
    return shown


register_case_api(MAYDAY.key, CaseApi(
    cases=_cases, fields=_fields, documents=_documents,
    filters=(("q", _("Search by name")), ("campaign", _("campaign code")), ("state", _("status")),
             ("kind", _("award")), ("organisation", _("nominating union (id)"))),
    # Every step's decision is taken on the nomination's page with a comment
    # alone (the notice is manual: the engine offers no decision there).
    decision_steps=tuple(step.name for step in MAYDAY.steps if not step.manual),
))


register_case_fields(MAYDAY.key, CaseFields(
    names=lambda nomination: selectors.fields_of_kind(nomination.kind),
    label=lambda nomination, name: selectors.KIND_LABELS.get(nomination.kind, {}).get(name),
    long_texts=selectors.LONG_TEXT_FIELDS,
    # Shown masked everywhere; in full only on the page, to those
    # awards.mayday.id_numbers lets read it, and recorded.
    masked={"id_number": masked_id_number},
    revisions=selectors.revisions_of,
))
