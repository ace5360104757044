"""What a user may see: reports of their own union or of the branch below a
branch role (the organisations and dashboard scopes are the engine's,
workflows.organisations.scopes). Anything else is a 404 that does not say
whether it exists."""

from django.http import Http404

from workflows.cases import overdue
from workflows.organisations.access import visible_organisations_q

from .models import OUTSTANDING_STATES, Report


def reports_visible_to(user):
    return Report.objects.filter(visible_organisations_q(user)).select_related("kind", "organisation", "period")


def report_for(user, pk):
    report = reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        raise Http404()
    return report


def overdue_by_organisation(user, today=None):
    """[{"organisation__…", "count", "earliest"}] per organisation (the
    engine's overdue page)."""
    return overdue.overdue_by_organisation(reports_visible_to(user), OUTSTANDING_STATES, today)
