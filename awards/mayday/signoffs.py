"""Departmental sign-offs of enterprise candidates (units and individuals
of state-owned, collective and non-public enterprises), after the district's
review: each department of the district (tax, labour inspection, safety,
environment; audit and discipline inspection for state-owned enterprises)
gives its opinion in parallel. The declaration's fan-out step `signoff`
opens one task per department with a pending request; a refusal rejects the
nomination with the department's reason; when every department has agreed
the nomination awaits the public notice."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.mayday.models import NominationState as S
from awards.roles import Role
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import OrgKind, Sector, SignoffRequest, SignoffStatus, case_q
from awards.mayday.models import Department
from workflows.organisations.access import memberships
from workflows.steps.actors import task_for
from workflows.steps.decisions import decide

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


def request_signoffs(case, departments):
    """Open a new round of sign-offs for `case`; returns its requests."""
    last = SignoffRequest.objects.filter(case_q(case)).order_by("-round").values_list("round", flat=True).first() or 0
    # Anything still pending from an earlier round is moot now.
    SignoffRequest.objects.filter(case_q(case), status=SignoffStatus.PENDING).update(status=SignoffStatus.CANCELED)
    ct = ContentType.objects.get_for_model(case)
    return [
        SignoffRequest.objects.create(content_type=ct, object_id=case.pk, department=dept, round=last + 1)
        for dept in departments
    ]


def current_round(case):
    """The requests of the case's latest round."""
    last = SignoffRequest.objects.filter(case_q(case)).order_by("-round").values_list("round", flat=True).first()
    if last is None:
        return SignoffRequest.objects.none()
    return SignoffRequest.objects.filter(case_q(case), round=last).select_related("department", "answered_by")


def signoffs_of(case):
    """Every department's answer, all rounds, for the case page."""
    return SignoffRequest.objects.filter(case_q(case)).select_related("department", "answered_by", "on_behalf_of")


def record_opinion(case, department_id, *, actor, agreed, opinion, on_behalf_of=None):
    """Write one department's answer on its pending request (the caller
    holds the case's lock). A refusal cancels the round's other requests."""
    request = SignoffRequest.objects.select_for_update().filter(
        case_q(case), department_id=department_id, status=SignoffStatus.PENDING
    ).order_by("-round").first()
    if request is None:
        raise AlreadyHandled()
    request.status = SignoffStatus.AGREED if agreed else SignoffStatus.REFUSED
    request.opinion = opinion
    request.answered_by = actor
    request.on_behalf_of = on_behalf_of
    request.answered_at = timezone.now()
    request.save()
    if not agreed:
        SignoffRequest.objects.filter(case_q(case), round=request.round, status=SignoffStatus.PENDING).update(
            status=SignoffStatus.CANCELED
        )
    return request


def nomination_signoff(*, nomination, actor, agreed, comment="", ip=None):
    """One department's opinion. `agreed=False` needs the reason, which the
    nomination's history then shows."""
    comment = (comment or "").strip()
    if not agreed and not comment:
        raise RuleViolation(_("Give the reason for refusing the sign-off."))
    if nomination.state != S.SIGNOFF:
        raise AlreadyHandled()
    if task_for(actor, nomination, "signoff") is None:
        if asked_my_department(nomination, actor):
            raise AlreadyHandled()  # my department has answered already
        raise NotAllowed(_("This sign-off is not yours to give."))
    return decide(case=nomination, actor=actor, decision="agree" if agreed else "refuse", comment=comment, ip=ip)


def my_open_task(nomination, actor):
    """The actor's open sign-off task of the nomination, or None."""
    return task_for(actor, nomination, "signoff")


def asked_my_department(nomination, actor):
    """Was a department of the actor asked to sign off the nomination?"""
    mine = {m.organisation_id for m in memberships(actor) if m.role == Role.DEPARTMENT}
    return signoffs_of(nomination).filter(department_id__in=mine).exists()

