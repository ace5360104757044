"""The list of cases of kinds of campaign: columns, filters and the links
to the campaigns. The engine serves the page, its paging and its workbook
(workflows.cases). Registered from AppConfig.ready."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.lookups import IContains
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.cases.lists import CaseList, Choice, Column, Search, StateColumn, StateFilter, Year, register_case_list

from awards.roles import Role
from workflows.models import Organisation, OrgKind
from workflows.organisations.access import memberships

from . import selectors
from .declaration import KIND_CASE_PROCESS
from .models import KindVersion

# The answers a search reads: the text a public notice may show. Never an
# ID or mobile number (their kinds are not publishable), never a field the
# version keeps off the notice.
SEARCHED_KINDS = ("text", "long_text")


def public_text_keys():
    """{answer key: [ids of the versions in use where it is public text]}:
    one query over the versions (a case's version is in use), whatever the
    number of cases."""
    keys = {}
    for pk, definition in KindVersion.objects.filter(in_use=True).values_list("pk", "definition"):
        for spec in definition.get("fields", []):
            if spec.get("public") and spec.get("type") in SEARCHED_KINDS:
                keys.setdefault(spec["key"], []).append(pk)
    return keys


@dataclass(frozen=True)
class CaseSearch(Search):
    """The name and union, as the engine's search, and the public text
    answers: a key is searched only in the versions where it is public, so
    the same key kept private by another kind is never matched."""

    def apply(self, qs, value):
        query = Q()
        for field_name in self.fields:
            query |= Q(**{f"{field_name}__icontains": value})
        for key, versions in public_text_keys().items():
            # The key as an expression, not spliced into a lookup: a key
            # such as "a__b" stays one key.
            query |= Q(IContains(KeyTextTransform(key, "answers"), value), kind_version_id__in=versions)
        return qs.filter(query)


def _campaigns(user):
    return selectors.campaigns_visible_to(user).values_list("pk", "title")


def _kinds(user):
    """(code, title) of the kinds of the user's districts, by the newest
    version's title: one query. A case's kind is its offered version's
    (a code is unique in its district)."""
    districts = {m.organisation.ancestor_ids[0] for m in memberships(user)}
    titles = {}
    for code, title in (KindVersion.objects.filter(kind__district_id__in=districts)
                        .order_by("kind__code", "number").values_list("kind__code", "title")):
        titles[code] = title  # the highest number comes last and wins
    return list(titles.items())


def _unions(user):
    """The unions of the cases the user sees: one query."""
    return Organisation.objects.filter(
        pk__in=selectors.cases_visible_to(user).order_by().values("organisation")
    ).order_by("path").values_list("pk", "name")


def _hand_in_links(request):
    """{"hand_in": [(campaign, [(code, title)])]}: the open campaigns in
    whose district the user is a union's submitter, with the kinds each
    offers, as May Day's list led to a new nomination of each award. Two
    queries (the campaigns, their offers) whatever their number; none for
    a user who hands in nowhere."""
    unions = [m.organisation for m in memberships(request.user)
              if m.role == Role.SUBMITTER and m.organisation.kind == OrgKind.GRASSROOTS]
    if not unions:
        return {"hand_in": []}
    # A minute's margin: is_open reads the deadline's whole minute.
    campaigns = selectors.with_offers(selectors.campaigns_visible_to(request.user).filter(
        deadline__gte=timezone.now() - datetime.timedelta(minutes=1)))
    links = []
    for campaign in campaigns.order_by("-year", "-pk"):
        # selectors.unions_applying_for, read from the memberships.
        if campaign.is_open and any(u.path.startswith(campaign.district.path) for u in unions):
            links.append((campaign, [(v.kind.code, v.title) for v in campaign.offered_versions]))
    return {"hand_in": links}


def _submitted_on(case):
    return timezone.localdate(case.submitted_at) if case.submitted_at else None


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
        Column(_("Submitted on"), _submitted_on),
    ),
    filters=(
        CaseSearch(("name", "organisation__name"), label=_("Name, union or public answer")),
        Choice("campaign", _("Campaign"), _campaigns, lookup="campaign_id"),
        StateFilter(),
        Choice("kind", _("Kind"), _kinds, lookup="kind_version__kind__code"),
        Choice("organisation", _("Union"), _unions, lookup="organisation_id"),
        Year("campaign__year"),
    ),
    ordering=("campaign_id", "organisation__path", "pk"),
    header="kinds/_case_list_links.html",
    header_context=_hand_in_links,
    empty=_("No case matches."),
)

register_case_list(KIND_CASE_PROCESS.key, CASES)
