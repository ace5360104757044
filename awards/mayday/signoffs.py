"""Departmental sign-offs of enterprise candidates (units and individuals
of state-owned, collective and non-public enterprises), after the district's
review: each department of the district (tax, labour inspection, safety,
environment; audit and discipline inspection for state-owned enterprises)
gives its opinion in parallel. The declaration's fan-out step `signoff`
opens one task per department with a pending request; a refusal rejects the
nomination with the department's reason; when every department has agreed
the nomination awaits the public notice. The rounds of requests and the
answers are the engine's (workflows.signoffs)."""

from awards.roles import Role
from workflows.models import OrgKind, Sector
from awards.mayday.models import Department
from workflows.security.identity_reads import grant_as_asked_department
from workflows.steps.actors import task_for
from workflows.signoffs.answering import answer_signoff

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


def nomination_signoff(*, nomination, actor, agreed, comment="", ip=None):
    """One department's opinion (workflows.signoffs.answering). `agreed=False`
    needs the reason, which the nomination's history then shows."""
    return answer_signoff(case=nomination, actor=actor, agreed=agreed, role=Role.DEPARTMENT, comment=comment, ip=ip)


def my_open_task(nomination, actor):
    """The actor's open sign-off task of the nomination, or None."""
    return task_for(actor, nomination, "signoff")


def asked_my_department(nomination, actor):
    """Was a department of the actor asked to sign off the nomination?"""
    return grant_as_asked_department(actor, nomination, Role.DEPARTMENT) is not None

