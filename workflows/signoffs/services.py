"""Rounds of sign-off requests and the departments' answers. The process's
declaration opens one task per pending request (a fan-out step) and calls
`record_opinion` from its decision hook, holding the case's lock."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from workflows.exceptions import AlreadyHandled
from workflows.models import SignoffRequest, SignoffStatus, case_q
from workflows.organisations.access import memberships


def _last_round(case):
    return SignoffRequest.objects.filter(case_q(case)).order_by("-round").values_list("round", flat=True).first()


def request_signoffs(case, departments):
    """Open a new round of sign-offs for `case`; returns its requests."""
    last = _last_round(case) or 0
    # Anything still pending from an earlier round is moot now.
    SignoffRequest.objects.filter(case_q(case), status=SignoffStatus.PENDING).update(status=SignoffStatus.CANCELED)
    ct = ContentType.objects.get_for_model(case)
    return [
        SignoffRequest.objects.create(content_type=ct, object_id=case.pk, department=dept, round=last + 1)
        for dept in departments
    ]


def current_round(case):
    """The requests of the case's latest round."""
    last = _last_round(case)
    if last is None:
        return SignoffRequest.objects.none()
    return SignoffRequest.objects.filter(case_q(case), round=last).select_related("department", "answered_by")


def pending_departments(case):
    """The departments of the current round still to answer: one task each."""
    return [r.department_id for r in current_round(case).filter(status=SignoffStatus.PENDING)]


def signoffs_of(case):
    """Every department's answer, all rounds, for the case page."""
    return SignoffRequest.objects.filter(case_q(case)).select_related("department", "answered_by", "on_behalf_of")


def asked_departments_of(case, department_ids):
    """Which of `department_ids` were asked to sign off the case."""
    return signoffs_of(case).filter(department_id__in=department_ids)


def asked_cases_q(user, model, role):
    """A Q over `model`'s cases whose sign-off a department of `user` (where
    they hold `role`) was asked for: its officers see those cases."""
    departments = [m.organisation_id for m in memberships(user) if m.role == role]
    if not departments:
        return Q(pk__in=[])
    return Q(pk__in=SignoffRequest.objects.filter(
        content_type=ContentType.objects.get_for_model(model), department_id__in=departments
    ).values("object_id"))


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
