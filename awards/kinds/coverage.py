"""The campaigns of kinds on the coverage page (/coverage/, the engine's
workflows.coverage): per campaign of the year, how many of the unions it
reaches in the user's branch have handed in a case, and how the cases
stand; the same rows in the page's Excel download. Counted in a fixed
number of queries whatever the number of cases. Registered from
AppConfig.ready."""

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.coverage.registry import register_coverage_section
from workflows.documents.xlsx import Sheet
from workflows.models import Organisation, OrgKind
from workflows.organisations.access import memberships
from workflows.organisations.roles import branch_roles

from . import selectors
from .models import KindCaseState as S

ENDED = (S.NOT_GRANTED, S.REJECTED, S.WITHDRAWN)


def _unions_in_scope(user, district):
    """How many grassroots unions of `district` the user's branch holds (a
    campaign reaches every one of them)."""
    q = Q(pk__in=[])
    for m in memberships(user):
        q |= Q(path__startswith=m.organisation.path) if m.role in branch_roles() else Q(pk=m.organisation_id)
    return Organisation.objects.filter(q, kind=OrgKind.GRASSROOTS, path__startswith=district.path).count()


def rows(user, year):
    """[{campaign, reached, unions, handed_in, granted, ended, under_way}]
    for the campaigns of `year` the user sees, or None when there are none."""
    campaigns = list(selectors.campaigns_visible_to(user).filter(year=year).order_by("district__path", "pk"))
    if not campaigns:
        return None
    counts = {row["campaign_id"]: row for row in (
        selectors.cases_visible_to(user).filter(campaign__in=campaigns).exclude(state=S.DRAFT)
        .order_by().values("campaign_id")
        .annotate(handed_in=Count("pk"), unions=Count("organisation", distinct=True),
                  granted=Count("pk", filter=Q(state=S.GRANTED)), ended=Count("pk", filter=Q(state__in=ENDED))))}
    reached = {}
    found = []
    for campaign in campaigns:
        if campaign.district_id not in reached:
            reached[campaign.district_id] = _unions_in_scope(user, campaign.district)
        row = counts.get(campaign.pk, {})
        handed_in = row.get("handed_in", 0)
        found.append({"campaign": campaign, "reached": reached[campaign.district_id], "unions": row.get("unions", 0),
                      "handed_in": handed_in, "granted": row.get("granted", 0), "ended": row.get("ended", 0),
                      "under_way": handed_in - row.get("granted", 0) - row.get("ended", 0)})
    return found


def section(request, year):
    found = rows(request.user, year)
    if found is None:
        return None
    return render_to_string("kinds/coverage.html", {"rows": found, "year": year}, request=request)


def sheets(request, year):
    found = rows(request.user, year)
    if found is None:
        return None
    title = _("Campaigns of kinds in %(year)s") % {"year": year}
    headers = [_("Campaign"), _("Unions reached"), _("Unions that handed in"), _("Cases handed in"),
               _("Cases granted"), _("Under way"), _("Not granted, not recommended or withdrawn")]
    return [Sheet(_("Campaigns of kinds"), headers,
                  [[r["campaign"].title, r["reached"], r["unions"], r["handed_in"], r["granted"], r["under_way"],
                    r["ended"]] for r in found], caption=[title], page_title=title)]


def register():
    register_coverage_section("kind_campaigns", label=gettext_lazy("Campaigns of kinds"), render=section,
                              sheets=sheets, order=30)
