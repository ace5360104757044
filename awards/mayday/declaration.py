"""The May Day award's route, stated once.

grassroots chair confirms → intermediate union reviews → district reviews →
departmental sign-offs (enterprise candidates) → public notice (公示) →
district decides; at each review the nomination may be returned (the
submitter revises and resubmits) or rejected; the submitter may withdraw
before the chair's confirmation or while it is back with them.

Everything else (the viewflow flow, the allowed state changes, the inbox's
steps and bulk actions, the buttons and their confirmations, the deadlines
and escalation) is derived from this declaration by the engine."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from awards.mayday import hooks
from awards.mayday.notices import NOTICE_STEP
from awards.mayday.models import NominationState as S
from awards.mayday.selectors import nominations_visible_to
from awards.roles import AWARD_ROLES, Role
from workflows.models import OrgKind
from workflows.signoffs.services import pending_departments
from workflows.steps import places
from workflows.steps.declaration import Decision, Process, RoleAt, Step, Transition
from workflows.steps.own_pages import own_page
from workflows.steps.standard_route import at_intermediate, done_messages, escalate_above, round_step_days

ACTION = "awards.nomination"


# Who hears of an overdue step: the reviewers one level up (for the
# district itself, its administrators).
_reviewers_above = escalate_above(Role.REVIEWER)


RETURN = Decision(
    "return", S.RETURNED, pgettext_lazy("decision", "Return for revision"), comment_required=True,
    comment_message=_("Say what must be revised: a comment is required to return a nomination."),
    action=f"{ACTION}.returned",
)
REJECT = Decision(
    "reject", S.REJECTED, pgettext_lazy("decision", "Do not recommend"), comment_required=True, final=True,
    comment_message=_("A reason is required to reject a nomination."), style="danger", action=f"{ACTION}.rejected",
)


def _approve(target, label, **kwargs):
    return Decision("approve", target, label, action=f"{ACTION}.approved", **kwargs)


DONE_MESSAGES = {
    "approve": _("The nomination is approved and goes to the next step."),
    "return": _("The nomination is returned to the submitter for revision."),
    "reject": _("The nomination is rejected."),
    "award": _("The award is granted and the certificate issued."),
    "decline": _("The nomination is recorded as not awarded."),
    "submit": _("The nomination is submitted; the union chair confirms it next."),
    "resubmit": _("The nomination is resubmitted; the union chair confirms it next."),
    "withdraw": _("The nomination is withdrawn."),
}


# The line the page shows once a decision or transition is taken.
done_message = done_messages(DONE_MESSAGES)


MAYDAY = Process(
    key="mayday",
    model="awards.Nomination",
    title=_("May Day award nomination"),
    action_prefix=ACTION,
    initial=S.DRAFT,
    final_states=(S.AWARDED, S.NOT_AWARDED, S.REJECTED, S.WITHDRAWN),
    roles=AWARD_ROLES,
    steps=(
        Step(
            "confirm", _("Chair confirms the nomination"), states=(S.SUBMITTED,),
            actor=RoleAt(Role.CHAIR, places.unit), bulk=True, deadline_days=5, level=True,
            escalate_to=_reviewers_above,
            # Audited as itself (确认并上报), not as a reviewer's approval.
            decisions=(Decision("approve", S.CONFIRMED, pgettext_lazy("decision", "Confirm and send up"),
                                style="primary", action=f"{ACTION}.confirmed"),
                       RETURN, REJECT),
        ),
        Step(
            "review_intermediate", _("Intermediate union reviews"), states=(S.CONFIRMED,),
            actor=RoleAt(Role.REVIEWER, at_intermediate), review_level=True, bulk=True, deadline_days=10,
            escalate_to=_reviewers_above,
            decisions=(_approve(S.INTERMEDIATE_APPROVED, pgettext_lazy("decision", "Approve and recommend"),
                                style="primary"),
                       RETURN, REJECT),
        ),
        Step(
            "review_district", _("District federation reviews"), states=(S.INTERMEDIATE_APPROVED,),
            actor=RoleAt(Role.REVIEWER, places.district), review_level=True, bulk=True, deadline_days=10,
            escalate_to=_reviewers_above,
            decisions=(
                # Enterprise candidates go to the departments' sign-offs first.
                _approve(S.SIGNOFF, pgettext_lazy("decision", "Approve and recommend"), style="primary",
                         when=hooks.needs_signoffs),
                _approve(S.AWAITING_NOTICE, pgettext_lazy("decision", "Approve and recommend"), style="primary",
                         when=lambda n: not hooks.needs_signoffs(n)),
                RETURN, REJECT,
            ),
        ),
        Step(
            "signoff", _("Department signs off"), states=(S.SIGNOFF,),
            actor=RoleAt(Role.DEPARTMENT, each=pending_departments), fan_out=True, level=True,
            # A department signs off on its own page (its opinion is recorded).
            deadline_days=10, escalate_to=_reviewers_above, form_url=own_page("awards:signoff"),
            decisions=(
                Decision("agree", S.AWAITING_NOTICE, pgettext_lazy("decision", "Agree"), wait_for_all=True,
                         action=f"{ACTION}.signoff_agreed"),
                Decision("refuse", S.REJECTED, pgettext_lazy("decision", "Refuse"), comment_required=True,
                         final=True, style="danger", action=f"{ACTION}.signoff_refused",
                         comment_message=_("Give the reason for refusing the sign-off.")),
            ),
        ),
        Step(
            "notice", _("Public notice"), states=(S.AWAITING_NOTICE, S.IN_NOTICE),
            actor=RoleAt(Role.DISTRICT_ADMIN, places.district), manual=True,
            # Awaiting a notice, the task leads to the preview that opens one;
            # under notice, to the public notice, saying until when it runs.
            url=NOTICE_STEP.url, note=NOTICE_STEP.note,
        ),
        Step(
            "decide", _("District federation decides"), states=(S.DISTRICT_APPROVED,),
            actor=RoleAt(Role.DISTRICT_ADMIN, places.district), review_level=True, deadline_days=10,
            escalate_to=_reviewers_above,
            decisions=(
                Decision("award", S.AWARDED, pgettext_lazy("decision", "Award"), final=True, style="primary",
                         action=f"{ACTION}.awarded"),
                Decision("decline", S.NOT_AWARDED, pgettext_lazy("decision", "Do not award"), final=True,
                         comment_required=True, style="danger", action=f"{ACTION}.not_awarded",
                         comment_message=_("A reason is required when a nomination is not awarded.")),
                RETURN,
            ),
        ),
        Step(
            "revise", _("Submitter revises and resubmits"), states=(S.RETURNED,),
            actor=RoleAt(Role.SUBMITTER, places.unit), deadline_days=10, escalate_to=_reviewers_above,
            decisions=(Decision("resubmit", S.SUBMITTED, pgettext_lazy("decision", "Resubmit"), new_round=True,
                                style="primary", action=f"{ACTION}.resubmitted"),),
        ),
    ),
    transitions=(
        Transition("submit", (S.DRAFT,), S.SUBMITTED, starts_flow=True, actor=RoleAt(Role.SUBMITTER, places.unit),
                   action=f"{ACTION}.submitted", label=pgettext_lazy("decision", "Submit"), style="primary"),
        Transition("withdraw", (S.SUBMITTED, S.RETURNED), S.WITHDRAWN, ends_flow=True,
                   actor=RoleAt(Role.SUBMITTER, places.unit), action=f"{ACTION}.withdrawn",
                   refused_message=_("This nomination can no longer be withdrawn."),
                   label=pgettext_lazy("decision", "Withdraw"), final=True, style="danger"),
        Transition("publish", (S.AWAITING_NOTICE,), S.IN_NOTICE, by_task=True, check_version=False,
                   action=f"{ACTION}.published"),
        Transition("pass_notice", (S.IN_NOTICE,), S.DISTRICT_APPROVED, completes_step=True, check_version=False,
                   action=f"{ACTION}.notice_passed"),
        Transition("uphold_objection", (S.IN_NOTICE,), S.REJECTED, completes_step=True, check_version=False,
                   action=f"{ACTION}.rejected"),
    ),
    lock_first=hooks.lock_first,
    before_decision=hooks.before_decision,
    after_decision=hooks.after_decision,
    subject=lambda nomination: nomination.nominee_name,
    recusal_subject=lambda nomination: nomination.recusal_subject(),
    recusal_self_message=_("%(case)s is a nomination of yourself."),
    # A campaign sets its own working days per step when it opens.
    deadline_days=round_step_days("campaign"),
    selector=nominations_visible_to,
    # The submitter hears of every step on the way, not only the outcome;
    # each of these is an event they may switch off (the channels page).
    notify_creator_in=(S.CONFIRMED, S.INTERMEDIATE_APPROVED, S.SIGNOFF, S.AWAITING_NOTICE, S.IN_NOTICE,
                       S.DISTRICT_APPROVED, S.RETURNED, S.AWARDED, S.NOT_AWARDED, S.REJECTED),
    done_message=done_message,
    # Who reads full ID numbers (awards.mayday.id_numbers): the district's
    # reviewers (its administrators already need a second factor) and the
    # departments' officers asked for a sign-off.
    second_factor_roles={Role.REVIEWER: (OrgKind.DISTRICT,), Role.DEPARTMENT: None},
)
