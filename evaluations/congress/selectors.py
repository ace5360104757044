"""What a user may see: reports of their own union or of the branch below a
branch role; the coverage of their district or their own intermediate
union. Anything else is a 404 that does not say whether it exists."""

from django.db.models import Count, Min, Q
from django.http import Http404
from django.utils import timezone

from workflows.organisations.access import memberships, visible_organisations_q
from workflows.models import Organisation, OrgKind
from workflows.organisations.roles import branch_roles

from .models import OUTSTANDING_STATES, Report


def reports_visible_to(user):
    return Report.objects.filter(visible_organisations_q(user)).select_related("kind", "organisation", "period")


def report_for(user, pk):
    report = reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        raise Http404()
    return report


def overdue_reports(user, today=None):
    today = today or timezone.localdate()
    return reports_visible_to(user).filter(state__in=OUTSTANDING_STATES, due_on__lt=today)


def overdue_by_organisation(user, today=None):
    """[{"organisation__…", "count", "earliest"}] per organisation."""
    return (
        overdue_reports(user, today)
        .values("organisation_id", "organisation__name", "organisation__parent__name")
        .annotate(count=Count("pk"), earliest=Min("due_on"))
        .order_by("earliest", "organisation__name")
    )


def coverage_scopes(user):
    """The organisations whose dashboard the user may open: a district or
    an intermediate union where they hold a branch role."""
    return [m.organisation for m in memberships(user)
            if m.role in branch_roles() and m.organisation.kind in (OrgKind.DISTRICT, OrgKind.INTERMEDIATE)]


def coverage_scope_for(user, branch_id=None):
    """The dashboard's scope: the asked branch when the user's scopes cover
    it, else their widest scope; 404 when they have none or may not see the
    branch."""
    scopes = coverage_scopes(user)
    if not scopes:
        raise Http404()
    if not branch_id:
        return min(scopes, key=lambda o: len(o.path))
    try:
        branch = Organisation.objects.get(pk=int(branch_id), kind__in=[OrgKind.DISTRICT, OrgKind.INTERMEDIATE])
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404() from None
    if not any(branch.path.startswith(scope.path) for scope in scopes):
        raise Http404()
    return branch


def grassroots_visible_to(user):
    """Grassroots unions the user acts for, or below a branch role."""
    q = Q(pk__in=[])
    for m in memberships(user):
        if m.role in branch_roles():
            q |= Q(path__startswith=m.organisation.path)
        else:
            q |= Q(pk=m.organisation_id)
    return Organisation.objects.filter(q, kind=OrgKind.GRASSROOTS)
