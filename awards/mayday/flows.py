"""The May Day nomination's route. Thin: each human step names who acts
(role at an organisation); routing follows the nomination's state, which only
awards.mayday.services changes. A new step (public notice, sign-offs) is a new node
and a new state between two existing ones."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflows.organisations.access import district_of
from workflows.steps.flows import FLOW_LOCK, case_task_view, human_step, route_by_state, start_case
from workflows.models import Role
from workflows.steps.fanout import DepartmentView, ForEachSplit, department_step, pending_signoffs_source, signoff_join_node

from awards.mayday.models import NominationProcess
from awards.mayday.models import NominationState as S


def _grassroots(nomination):
    return nomination.organisation


def _intermediate(nomination):
    return nomination.intermediate_union


def _district(nomination):
    return district_of(nomination.organisation)


class MayDayFlow(flow.Flow):
    process_class = NominationProcess
    lock_impl = FLOW_LOCK
    process_title = _("May Day award nomination")

    start = flow.StartHandle(start_case).Next(this.confirm)

    confirm = human_step(
        flow.View(case_task_view).Annotation(title=_("Chair confirms the nomination")), Role.CHAIR, _grassroots
    ).Next(this.after_confirm)
    after_confirm = route_by_state(
        (S.CONFIRMED, this.review_intermediate), (S.RETURNED, this.revise), default=this.end
    )

    review_intermediate = human_step(
        flow.View(case_task_view).Annotation(title=_("Intermediate union reviews")), Role.REVIEWER, _intermediate
    ).Next(this.after_review_intermediate)
    after_review_intermediate = route_by_state(
        (S.INTERMEDIATE_APPROVED, this.review_district), (S.RETURNED, this.revise), default=this.end
    )

    review_district = human_step(
        flow.View(case_task_view).Annotation(title=_("District federation reviews")), Role.REVIEWER, _district
    ).Next(this.after_review_district)
    after_review_district = route_by_state(
        (S.SIGNOFF, this.signoff_split), (S.AWAITING_NOTICE, this.notice), (S.RETURNED, this.revise),
        default=this.end,
    )

    # Departmental sign-offs (enterprise candidates): one task per department,
    # in parallel; a refusal rejects the case and the join cancels the rest.
    signoff_split = ForEachSplit().Each(this.signoff, pending_signoffs_source)
    signoff = department_step(
        DepartmentView(case_task_view).Annotation(title=_("Department signs off"))
    ).Next(this.signoff_join)
    signoff_join = signoff_join_node(lambda nomination: nomination.state == S.SIGNOFF).Next(this.after_signoff)
    after_signoff = route_by_state((S.AWAITING_NOTICE, this.notice), default=this.end)

    # Public notice (公示): open while the case awaits a notice and while it is
    # on one; completed when it passes (→ decide) or an objection is upheld.
    notice = human_step(
        flow.View(case_task_view).Annotation(title=_("Public notice")), Role.DISTRICT_ADMIN, _district
    ).Next(this.after_notice)
    after_notice = route_by_state((S.DISTRICT_APPROVED, this.decide), default=this.end)

    decide = human_step(
        flow.View(case_task_view).Annotation(title=_("District federation decides")), Role.DISTRICT_ADMIN, _district
    ).Next(this.after_decide)
    after_decide = route_by_state((S.RETURNED, this.revise), default=this.end)

    revise = human_step(
        flow.View(case_task_view).Annotation(title=_("Submitter revises and resubmits")), Role.SUBMITTER, _grassroots
    ).Next(this.after_revise)
    after_revise = route_by_state((S.SUBMITTED, this.confirm), default=this.end)

    end = flow.End()


# The human step open in each state: the node a decision in that state closes.
STEP_OF_STATE = {
    S.SUBMITTED: MayDayFlow.confirm,
    S.CONFIRMED: MayDayFlow.review_intermediate,
    S.INTERMEDIATE_APPROVED: MayDayFlow.review_district,
    S.SIGNOFF: MayDayFlow.signoff,
    S.AWAITING_NOTICE: MayDayFlow.notice,
    S.IN_NOTICE: MayDayFlow.notice,
    S.DISTRICT_APPROVED: MayDayFlow.decide,
    S.RETURNED: MayDayFlow.revise,
}
