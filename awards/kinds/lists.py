"""The list of cases of kinds of campaign: columns, filters and the links
to the campaigns. The engine serves the page, its paging and its workbook
(workflows.cases). Registered from AppConfig.ready."""

from django.utils.translation import gettext_lazy as _

from workflows.cases.lists import CaseList, Choice, Column, Search, StateColumn, StateFilter, Year, register_case_list

from . import selectors
from .declaration import KIND_CASE_PROCESS


def _campaigns(user):
    return selectors.campaigns_visible_to(user).values_list("pk", "title")


def _version(case):
    return f"{case.kind_version.title} v{case.kind_version.number}"


CASES = CaseList(
    title=_("Cases of kinds of campaign"),
    queryset=selectors.cases_visible_to,
    columns=(
        Column(_("Applicant or candidate"), lambda c: c.name, link=True),
        Column(_("Union"), lambda c: c.organisation.name),
        Column(_("Campaign"), lambda c: c.campaign.title, note=_version),
        StateColumn(),
        Column(_("Outcome"), lambda c: c.outcome or None),
    ),
    filters=(
        Search(("name", "organisation__name"), label=_("Name or union")),
        Choice("campaign", _("Campaign"), _campaigns, lookup="campaign_id"),
        StateFilter(),
        Year("campaign__year"),
    ),
    ordering=("campaign_id", "organisation__path", "pk"),
    header="kinds/_case_list_links.html",
    empty=_("No case matches."),
)

register_case_list(KIND_CASE_PROCESS.key, CASES)
