"""The route of a democratic evaluation, declared once (workflows.steps).

draft → plan submitted to the superior union → approved or returned with
comments → voting open → voting closed → tallied → results approved by the
superior union → published → archived.

The working body (the unit's union: its submitter or chair) prepares,
opens, closes, tallies, publishes and archives; the superior union's
reviewers (the unit's parent organisation) approve the plan and the
results. The checks that belong to this process (a plan needs cadres and an
entitled count, a tally needs every paper batch confirmed, the tally's
figures are recorded) are the hooks in hooks.py."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflows.audit import register_action_labels
from workflows.steps.declaration import Decision, Process, RoleAt, Step, Transition
from workflows.steps.places import district, superior, unit

from .hooks import after_decision, after_transition, ballot_problems, before_decision
from .models import EvaluationState as S
from .roles import CHAIR, REVIEWER, SUBMITTER
from .selectors import evaluations_visible_to
from .tally import below_quorum_warning


def _subject(evaluation):
    return f"{evaluation.title}（{evaluation.organisation.name}）"


EVALUATION = Process(
    key="cadres",
    model="cadres.Evaluation",
    title=_("Democratic evaluation of cadres"),
    action_prefix="cadres.evaluation",
    initial=S.DRAFT,
    final_states=(S.ARCHIVED,),
    steps=(
        Step(
            # Not a review level of its own: the same superior union approves
            # the plan and then the results, often the same reviewer, which
            # the four-eyes rule (two levels, two people) would forbid.
            "review_plan", _("Superior union reviews the plan"), states=(S.PLAN_SUBMITTED,),
            actor=RoleAt(REVIEWER, superior), deadline_days=5,
            decisions=(
                Decision("approve", S.PLAN_APPROVED, pgettext_lazy("decision", "Approve the plan")),
                Decision("return", S.PLAN_RETURNED, _("Return with comments"), comment_required=True,
                         comment_message=_("Say what the unit should change.")),
            ),
        ),
        Step(
            "revise_plan", _("Working body revises the plan"), states=(S.PLAN_RETURNED,),
            actor=RoleAt(SUBMITTER, unit),
            decisions=(Decision("resubmit", S.PLAN_SUBMITTED, _("Resubmit the plan")),),
        ),
        Step(
            "open_voting", _("Working body opens the vote"), states=(S.PLAN_APPROVED,),
            actor=RoleAt(CHAIR, unit),
            decisions=(Decision("open_voting", S.VOTING_OPEN, _("Open the vote"), final=True,
                                action="cadres.evaluation.voting_opened"),),
        ),
        Step(
            "close_voting", _("Working body closes the vote"), states=(S.VOTING_OPEN,),
            actor=RoleAt(CHAIR, unit),
            # Below the quorum the confirmation shows the figures and wants
            # them acknowledged (a box to tick) before the vote closes.
            decisions=(Decision("close_voting", S.VOTING_CLOSED, _("Close the vote"), final=True,
                                action="cadres.evaluation.voting_closed", warning=below_quorum_warning),),
        ),
        Step(
            "tally", _("Working body tallies"), states=(S.VOTING_CLOSED,),
            actor=RoleAt(CHAIR, unit),
            decisions=(Decision("tally", S.TALLIED, _("Tally the ballots"), final=True,
                                action="cadres.evaluation.tallied"),),
        ),
        Step(
            "review_results", _("Superior union approves the results"), states=(S.TALLIED,),
            actor=RoleAt(REVIEWER, superior), review_level=True, deadline_days=5,
            # No way back from here for the superior union: the count is
            # sealed once tallied, and only the district reopens it
            # (reopen_count below), publicly, with a reason.
            decisions=(
                Decision("approve_results", S.RESULTS_APPROVED, _("Approve the results"),
                         action="cadres.evaluation.results_approved"),
            ),
        ),
        Step(
            "publish", _("Working body publishes the results"), states=(S.RESULTS_APPROVED,),
            actor=RoleAt(CHAIR, unit),
            decisions=(Decision("publish", S.PUBLISHED, _("Publish the results"), final=True,
                                action="cadres.evaluation.published"),),
        ),
        Step(
            "archive", _("Working body archives the evaluation"), states=(S.PUBLISHED,),
            actor=RoleAt(CHAIR, unit),
            decisions=(Decision("archive", S.ARCHIVED, _("Archive"), final=True,
                                action="cadres.evaluation.archived"),),
        ),
    ),
    transitions=(
        Transition("submit", (S.DRAFT,), S.PLAN_SUBMITTED, action="cadres.evaluation.plan_submitted",
                   starts_flow=True, actor=RoleAt(SUBMITTER, unit)),
        # A recount: the district's own decision (not the unit's, not the
        # superior union's), with a reason, on a tallied count not yet
        # published. It unseals the count (paper batches may come in again)
        # and the public page states it with the reason.
        Transition("reopen_count", (S.TALLIED, S.RESULTS_APPROVED), S.VOTING_CLOSED,
                   action="cadres.evaluation.count_reopened", completes_step=True,
                   actor=RoleAt(REVIEWER, district), label=_("Reopen the count for a recount"), final=True,
                   # Told as a recount, not as "voting closed" again.
                   notify_as_act=True,
                   refused_message=_("Only a tallied count not yet published can be reopened.")),
    ),
    roles=(SUBMITTER, CHAIR, REVIEWER),
    selector=evaluations_visible_to,
    before_decision=before_decision,
    after_decision=after_decision,
    after_transition=after_transition,
    subject=_subject,
    integrity=ballot_problems,
    notify_creator_in=(S.PLAN_RETURNED, S.PLAN_APPROVED, S.RESULTS_APPROVED, S.VOTING_CLOSED),
    # The working body's chair opens, closes and tallies the secret ballot.
    second_factor_roles={CHAIR: None},
)

# What this process's audit codes mean to a reader (workflows.audit).
register_action_labels({
    "cadres.evaluation.created": _("Evaluation created"),
    "cadres.evaluation.updated": _("Evaluation set-up changed"),
    "cadres.evaluation.voters_imported": _("Voter list imported"),
    "cadres.evaluation.codes_generated": _("Voting codes generated"),
    "cadres.evaluation.slips_printed": _("Voting slips printed"),
    "cadres.evaluation.slip_replaced": _("Lost voting slip voided and replaced"),
    "cadres.evaluation.slip_replacement_refused": _("Replacement of a used voting slip refused"),
    "cadres.evaluation.plan_submitted": _("Plan submitted to the superior union"),
    "cadres.evaluation.ballots_counted": _("Ballots counted at the close"),
    "cadres.evaluation.batch_entered": _("Paper batch entered"),
    "cadres.evaluation.batch_confirmed": _("Paper batch confirmed"),
    "cadres.evaluation.batch_refused": _("Paper batch refused"),
    "cadres.evaluation.results_returned": _("Results returned for a recount"),
    "cadres.evaluation.count_reopened": _("Count reopened by the district for a recount"),
})
