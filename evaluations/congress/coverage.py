"""The work plan's coverage figures, computed with aggregate queries.

A year's figures count the grassroots unions that were in the tree that
year (workflows.models.existing_in: a union imported later is not one of
them) with their facts of that year (facts_year: the row of the year or of
the latest year before it), so a union imported or a fact stated in
2026 leaves 2024's figures as they were.

Every target is a pair of conditions over grassroots unions (joined to
their facts of the year): who counts in the base (e.g. non-public enterprises above the
size threshold) and who of those meets it (e.g. has a collective
contract). The engine (workflows.coverage.figures) counts every target for
every intermediate union in one query, one more counts the reports handed
in on time, so the dashboard's queries do not grow with the organisations.

These figures are the work plan's section of the coverage page (/coverage/,
the engine's workflows.coverage.targets): the district's (or an
intermediate union's own branch's) figures against the targets, its sheet
of the page's Excel download, the drill-down of each target and the
district administrator closing a past year for good
(workflows.coverage.year_closing, kept in a CoverageYear)."""

from django.db.models import Case, F, FilteredRelation, IntegerField, OuterRef, Q, Subquery, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import register_action_labels
from workflows.coverage.figures import Figure, branches_of, counted_by_branch
from workflows.coverage.targets import TargetsSection
from workflows.coverage.year_closing import YearClosing
from workflows.models import Organisation, OrgKind, Sector, existing_in

from .models import CoverageTarget, CoverageYear, OrganisationFacts, Report, ReportingPeriod
from .roles import DISTRICT_ADMIN

NON_PUBLIC = Q(sector=Sector.NON_PUBLIC)
PUBLIC_ENTERPRISE = Q(sector__in=[Sector.STATE_OWNED, Sector.COLLECTIVE])
ENTERPRISE = Q(sector__in=[Sector.STATE_OWNED, Sector.COLLECTIVE, Sector.NON_PUBLIC])
F_ = "year_facts__"
REPORTS = "reports_on_time"


def _fact(name, value=True):
    return Q(**{F_ + name: value})


def target_rules(year):
    """code → (base, met): Q over Organisation. A count target (new
    unions) has base None and counts `met`."""
    return {
        "congress_non_public": (NON_PUBLIC, _fact("has_congress")),
        "collective_contract": (NON_PUBLIC & _fact("above_size_threshold"), _fact("collective_contract")),
        "wage_bargaining": (NON_PUBLIC & _fact("above_size_threshold"), _fact("wage_bargaining")),
        "mediation_body": (ENTERPRISE & _fact("unionised"), _fact("mediation_body")),
        "women_special_contract": (_fact("collective_contract"), _fact("women_special_contract")),
        "standardised_public": (PUBLIC_ENTERPRISE, _fact("standardised")),
        "standardised_non_public": (NON_PUBLIC, _fact("standardised")),
        "new_unions": (None, NON_PUBLIC & _fact("union_founded_year", year)),
        "democratic_evaluation": (Q(), Q(**{F_ + "democratic_evaluation_on__year": year})),
    }


def report_rules(year, today):
    """Reports of the year's periods that are due by today or handed in;
    those first handed in by their due day count."""
    base = Q(period__year=year) & (Q(due_on__lt=today) | Q(first_submitted_at__isnull=False))
    met = Q(first_submitted_at__isnull=False) & Q(first_submitted_at__date__lte=F("due_on"))
    return base, met


def facts_year(year):
    """A correlated subquery over Organisation: the year of the union's
    facts that hold in `year` (its row of the latest year up to `year`; a
    row of a later year does not reach back)."""
    return Subquery(OrganisationFacts.objects.filter(organisation=OuterRef("pk"), year__lte=year)
                    .order_by("-year").values("year")[:1])


def grassroots_in(scope, year):
    """The grassroots unions of `scope` in the tree in `year`, each joined
    (as `year_facts`) to its facts of that year."""
    orgs = Organisation.objects.filter(path__startswith=scope.path, kind=OrgKind.GRASSROOTS)
    return orgs.filter(existing_in(year)).annotate(facts_year=facts_year(year)).annotate(
        year_facts=FilteredRelation("congress_facts", condition=Q(congress_facts__year=F("facts_year"))))


def coverage(scope, year, today=None):
    """The dashboard's figures: {"targets": [{"target", "overall": Figure,
    "rows": [(branch, Figure)]}], "branches": [...]}. Four queries however
    many organisations: targets, branches, facts, reports."""
    today = today or timezone.localdate()
    targets = list(CoverageTarget.objects.all())
    branches = branches_of(scope)
    org_counts = counted_by_branch(grassroots_in(scope, year), target_rules(year), branches)
    # A report belongs to its period's year; its union was in the tree then.
    reports = Report.objects.filter(organisation__path__startswith=scope.path)
    report_counts = {key: counts[REPORTS] for key, counts in counted_by_branch(
        reports, {REPORTS: report_rules(year, today)}, branches, path="organisation__path").items()}
    keys = [b.pk for b in branches] + ([0] if 0 in org_counts or 0 in report_counts else [])
    result = []
    for target in targets:
        if target.code == REPORTS:
            counts = report_counts
        else:
            counts = {k: v.get(target.code) for k, v in org_counts.items() if target.code in v}
        if not counts and target.code != REPORTS and target.code not in target_rules(year):
            continue  # a target the district added without a computation yet
        per_branch = [(k, Figure(*(counts.get(k) or (0, 0)), target.target, target.unit)) for k in keys]
        overall = Figure(sum(f.met for _k, f in per_branch), sum(f.base for _k, f in per_branch),
                         target.target, target.unit)
        result.append({"target": target, "overall": overall, "rows": per_branch})
    names = {b.pk: b for b in branches}
    return {"targets": result, "branches": [names.get(k) for k in keys], "keys": keys}


def not_counted(scope, code, year, today=None):
    """The grassroots unions a target does not count yet (for a count
    target, the ones it counts), in `scope`."""
    today = today or timezone.localdate()
    orgs = grassroots_in(scope, year)
    if code == REPORTS:
        base, met = report_rules(year, today)
        late = Report.objects.filter(base).exclude(met).values("organisation_id")
        return orgs.filter(pk__in=late).order_by("path")
    rules = target_rules(year)
    if code not in rules:
        return None
    base, met = rules[code]
    # The condition is evaluated as a flag on the union's row: an exclude()
    # would put it in a subquery that loses the join to the year's facts.
    orgs = orgs.annotate(meets=Case(When(met, then=Value(1)), default=Value(0), output_field=IntegerField()))
    if base is None:
        return orgs.filter(meets=1).order_by("path")
    return orgs.filter(base, meets=0).order_by("path")


def default_year():
    """The page opens at the year of the latest reporting period."""
    latest = ReportingPeriod.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year


CLOSED = "congress.coverage_year.closed"
register_action_labels({CLOSED: gettext_lazy("Coverage year closed")})
CLOSING = YearClosing(model=CoverageYear, role=DISTRICT_ADMIN, action=CLOSED, compute=coverage,
                      not_counted=not_counted)

WORK_PLAN = TargetsSection(
    key="work_plan", label=gettext_lazy("Coverage of the work plan"), order=10, compute=coverage,
    not_counted=not_counted, target=lambda code: get_object_or_404(CoverageTarget, code=code),
    target_of=CoverageTarget, closed=CLOSING.closed,
    sheet_title=lambda scope, year: _("Coverage of the work plan's targets, %(year)s · %(scope)s")
    % {"year": year, "scope": scope.name},
    default_year=default_year, may_close=CLOSING.may_close, close=CLOSING.close,
    unit_url=lambda org: reverse("congress:facts_edit", args=[org.pk]))
