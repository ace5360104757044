"""The award list (表彰名单) of a campaign of a kind as a page: the granted
cases the reader sees (their branch's rows only: the case selector scopes
them), grouped by kind in the campaign's order, then by union in the
tree's order, names in order within; each with its work unit · post when
the kind's form asks for them, and the number of its valid certificate.
On the engine's grouped list (workflows.pages.listing); a page of any
length costs the same few queries (the certificates in one)."""

from django.utils.translation import gettext_lazy as _

from workflows.cases.lists import Column
from workflows.documents.round_certificates import valid_certificates_of
from workflows.pages.listing import grouped_by

from .endings import granted_cases

# The keys of a kind's fields the list joins as "work unit · post" (the
# starters' May Day forms name them so).
WORK_UNIT, POST = "work_unit", "post"


def listed_versions(campaign):
    """The offered versions that end in a list or certificates: an award
    (an aid ends in a payment list, not here)."""
    return [version for version in campaign.offered_versions
            if (version.definition.get("ends_in") or {}).get("approved_list")
            or (version.definition.get("ends_in") or {}).get("certificate")]


def _asks_for_work(versions):
    return any(spec["key"] in (WORK_UNIT, POST) for version in versions for spec in version.definition["fields"])


def work_of(case):
    """"work unit · post", either alone when the other is blank."""
    return " · ".join(str(v) for v in (case.answers.get(WORK_UNIT), case.answers.get(POST)) if v) or None


def award_groups(user, campaign):
    """grouped_by's groups of the granted cases `user` sees, each case
    carrying `.certificate` (its valid one, or None)."""
    versions = listed_versions(campaign)
    titles = {version.pk: version.title for version in versions}
    cases = list(granted_cases(user, campaign).filter(kind_version_id__in=titles))
    certificates = valid_certificates_of(cases)
    for case in cases:
        case.certificate = certificates.get(case.pk)
    return grouped_by(cases, field="kind_version_id", order=list(titles), label=titles.get, name=lambda c: c.name)


def award_columns(campaign):
    """Name (to the case's page), work unit · post when a listed kind's form
    has them, and the certificate number."""
    columns = [Column(_("Name"), lambda case: case.name, link=True)]
    if _asks_for_work(listed_versions(campaign)):
        columns.append(Column(_("Work unit · post"), work_of))
    columns.append(Column(_("Certificate number"), lambda case: case.certificate.number if case.certificate else None))
    return columns
