"""The May Day award's part of the JSON API (workflows.api): a
nomination's fields as its page shows them (the ID number masked: the full
number is read only on the page, where reading it is recorded; its list's
filters and its documents are the engine's); and what its case page shows
of a nomination and compares between rounds (workflows.cases.revisions).
Registered from AppConfig.ready."""

from django.utils.translation import gettext_lazy as _

from awards.mayday import selectors
from awards.mayday.declaration import MAYDAY
from workflows.cases.revisions import CaseFields, field_rows, register_case_fields
from workflows.dataforms.identity import masked_id_number
from workflows.steps.registry import CaseApi, register_case_api


def _fields(nomination):
    return [(_("campaign"), nomination.campaign.title), (_("award"), nomination.get_kind_display()),
            *field_rows(nomination)]


register_case_api(MAYDAY.key, CaseApi(
    fields=_fields,
    # A department's sign-off too is taken with a comment alone through the
    # API (its opinion is recorded by the decision's hook, as on its page);
    # the notice is manual: the engine offers no decision there.
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
