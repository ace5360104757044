"""The May Day nominations list: what is its own (columns, filters, the
links to a new nomination). The engine serves the page, its paging and its
workbook (workflows.cases). Registered from AppConfig.ready."""

from django.utils.translation import gettext_lazy as _

from awards.mayday import selectors
from awards.mayday.declaration import MAYDAY
from awards.mayday.models import AwardKind
from workflows.cases.lists import CaseList, Choice, Column, Search, StateColumn, StateFilter, register_case_list


def _nominate_links(request):
    """[(campaign, [(kind, label)])] of the open campaigns the user may
    nominate in: the list's entry to a new nomination."""
    links = []
    for campaign in selectors.campaigns_visible_to(request.user).order_by("-year", "code"):
        if campaign.is_open and selectors.submitting_unions(request.user, campaign):
            links.append((campaign, [(kind, AwardKind(kind).label) for kind in campaign.kinds]))
    return {"nominate": links}


NOMINATIONS = CaseList(
    title=_("Nominations"),
    queryset=selectors.nominations_visible_to,
    columns=(
        Column(_("Name"), lambda n: n.nominee_name, link=True),
        Column(_("Award"), lambda n: n.get_kind_display()),
        Column(_("Nominating union"), lambda n: str(n.organisation)),
        Column(_("Campaign"), lambda n: n.campaign.title),
        StateColumn(),
        Column(_("Submitted on"), lambda n: n.submitted_at),
    ),
    filters=(
        Search(("nominee_name",), label=_("Search by name"), placeholder=_("Name")),
        Choice("campaign", _("campaign"), lambda user: selectors.campaigns_visible_to(user).values_list("code", "title"),
               lookup="campaign__code"),
        StateFilter(label=_("status")),
        Choice("kind", _("award"), lambda user: AwardKind.choices),
        Choice("organisation", _("nominating union"),
               lambda user: [(o.pk, str(o)) for o in selectors.organisations_with_nominations_visible_to(user)]),
    ),
    ordering=("-created", "-pk"),
    header="awards/_nominate_links.html",
    header_context=_nominate_links,
    empty=_("No nomination matches."),
)

register_case_list(MAYDAY.key, NOMINATIONS)
