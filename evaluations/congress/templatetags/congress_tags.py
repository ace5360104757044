"""Template helpers the shared pages use to show this app's work: the
reports a user's unions must hand in (on the inbox)."""

from django import template
from django.db.models import Q

from workflows.organisations.access import memberships

from ..models import OUTSTANDING_STATES, Report
from ..roles import SUBMITTER

register = template.Library()

INBOX_LIMIT = 20


@register.simple_tag
def due_reports_for(user):
    """The outstanding reports of the unions where `user` is the submitter,
    soonest due first (one query)."""
    orgs = [m.organisation_id for m in memberships(user) if m.role == SUBMITTER]
    if not orgs:
        return []
    return list(
        Report.objects.filter(Q(organisation_id__in=orgs), state__in=OUTSTANDING_STATES)
        .select_related("kind", "organisation", "period").order_by("due_on", "pk")[:INBOX_LIMIT]
    )
