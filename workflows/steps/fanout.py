"""Departmental sign-offs: several departments give their opinion on a case
in parallel; any refusal stops it; the step ends when all have answered.

In a flow::

    signoff_split = ForEachSplit().Each(this.signoff, pending_signoffs_source)
    signoff = department_step(flow.View(case_task_view).Annotation(...)).Next(this.signoff_join)
    signoff_join = signoff_join_node()

The process's service first calls `request_signoffs` (one SignoffRequest
per department), then routes to the split, which opens one human task per
pending request, owned by Role.DEPARTMENT at that department. Each answer
goes through `record_opinion` inside the process's own service (which holds
the case's row lock and moves the case): on a refusal the case leaves the
sign-off state, and the join, seeing that, cancels the tasks still open.
"""

from django.db.models import Q
from django.utils import timezone
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.split import SplitActivation

from workflows.steps.flows import role_permission
from workflows.models import Department, Organisation, OrgKind, Role, Sector, SignoffRequest, SignoffStatus, case_q

ENTERPRISE_SECTORS = (Sector.STATE_OWNED, Sector.COLLECTIVE, Sector.NON_PUBLIC)


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
    from django.contrib.contenttypes.models import ContentType

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
    return SignoffRequest.objects.filter(case_q(case)).select_related("department", "answered_by", "on_behalf_of")


def record_opinion(request, *, actor, agreed, opinion, on_behalf_of=None):
    """Write one department's answer (the caller holds the case's lock and
    has checked the request is pending). Returns the round's status:
    "refused", "agreed" (every department agreed) or "waiting"."""
    request.status = SignoffStatus.AGREED if agreed else SignoffStatus.REFUSED
    request.opinion = opinion
    request.answered_by = actor
    request.on_behalf_of = on_behalf_of
    request.answered_at = timezone.now()
    request.save()
    if not agreed:
        SignoffRequest.objects.filter(
            content_type_id=request.content_type_id, object_id=request.object_id, round=request.round,
            status=SignoffStatus.PENDING,
        ).update(status=SignoffStatus.CANCELED)
        return "refused"
    still_open = SignoffRequest.objects.filter(
        content_type_id=request.content_type_id, object_id=request.object_id, round=request.round,
    ).filter(Q(status=SignoffStatus.PENDING) | Q(status=SignoffStatus.REFUSED))
    return "waiting" if still_open.exists() else "agreed"


def pending_signoffs_source(activation):
    """Split data source: one task per pending request of the case."""
    case = activation.process.artifact
    return [
        {"organisation": r.department_id, "signoff": r.pk}
        for r in current_round(case).filter(status=SignoffStatus.PENDING)
    ]


class ForEachSplitActivation(SplitActivation):
    """A parallel split that opens a branch's node once per item of its
    data source (viewflow 2.4 documents data sources but ignores them)."""

    @Activation.status.super()
    def activate(self):
        for node, cond, data_source in self.flow_task._branches:
            if cond and not cond(self):
                continue
            items = data_source(self) if data_source is not None else [None]
            for item in items:
                self.next_tasks.append((node, item))
        if not self.next_tasks:
            raise FlowRuntimeError("No next task available for {}".format(self.flow_task.name))


class ForEachSplit(flow.Split):
    activation_class = ForEachSplitActivation

    def Each(self, node, data_source):
        self._activate_next.append((node, None, data_source))
        return self


class DepartmentView(flow.View):
    """A human task owned by the department named in the task's data."""

    def calc_owner_permission_obj(self, activation):
        return Organisation.objects.get(pk=activation.task.data["organisation"])


def department_step(view_node):
    return view_node.Permission(role_permission(Role.DEPARTMENT))


def signoff_join_node(still_signing_off):
    """A join that waits for every department, unless `still_signing_off(case)`
    turns false (a refusal): then it cancels the tasks still open."""
    return flow.Join(
        continue_on_condition=lambda activation, active_tasks: not still_signing_off(activation.process.artifact)
    )
