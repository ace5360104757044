"""Departmental sign-offs of enterprise candidates (units and individuals
of state-owned, collective and non-public enterprises), after the district's
review: each department of the district (tax, labour inspection, safety,
environment; audit and discipline inspection for state-owned enterprises)
gives its opinion in parallel. The declaration's fan-out step `signoff`
opens one task per department with a pending request; a refusal rejects the
nomination with the department's reason; when every department has agreed
the nomination awaits the public notice. The rounds of requests and the
answers are the engine's (workflows.signoffs)."""

from workflows.models import OrgKind, Sector
from awards.mayday.models import Department


def departments_for(district, sector):
    """The active departments under `district` that sign off a candidate of
    `sector`; audit and discipline only for state-owned enterprises."""
    qs = Department.objects.filter(
        active=True,
        organisation__kind=OrgKind.DEPARTMENT,
        organisation__path__startswith=district.path,
    ).select_related("organisation")
    if sector != Sector.STATE_OWNED:
        qs = qs.filter(state_owned_only=False)
    return [d.organisation for d in qs.order_by("organisation__path")]

