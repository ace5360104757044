"""The toy process: every kind of step the engine knows, in a few lines.

submit → the unit's superior reviews (a review level, bulk, 2 working days)
→ the departments named on the case each sign it off, where it names any
(a sign-off step, as a process declares one: workflows.signoffs; one
refusal rejects) → the named inspectors each agree (a fan-out; one refusal rejects) → public
notice (manual: opened, passed or an objection upheld by the notice
services) → the district decides (a review level); a review may return the
case (the submitter revises and resubmits) or reject it; the submitter may
withdraw while it is submitted or returned."""

from django.db.models import Q

from workflows.organisations.access import district_of, visible_organisations_q
from workflows.organisations.roles import ADMINISTRATOR, DeclaredRole
from workflows.signoffs.answering import record_answer
from workflows.signoffs.services import asked_cases_q, pending_departments, request_signoffs
from workflows.steps.declaration import Assigned, Decision, Process, RoleAt, Step, Transition

from tests.engine.toy.models import ToyCase
from tests.engine.toy.models import ToyState as S

ADMIN = ADMINISTRATOR
SUBMITTER = DeclaredRole("submitter", "Submitter")
REVIEWER = DeclaredRole("reviewer", "Reviewer", sees_branch=True)
INSPECTOR = DeclaredRole("inspector", "Inspector")
DEPARTMENT = DeclaredRole("department", "Department officer")


# The retired process's codes and states (ToyLegacyCase), as the toy means
# them. Its "sent_back" is a return; "passed" the unit review's approval.
LEGACY_CODES = {
    "toy.legacy.sent": "toy.case.submit",
    "toy.legacy.passed": "toy.case.approve",
    "toy.legacy.sent_back": "toy.case.return",
    "toy.legacy.granted": "toy.case.accept",
}
LEGACY_STATES = {"new": S.DRAFT, "sent": S.SUBMITTED, "back": S.RETURNED, "checked": S.INSPECTION,
                 "ripe": S.NOTICE_PASSED}
LEGACY_LABELS = {
    "toy.legacy.sent": "Sent in (old process)",
    "toy.legacy.passed": "Passed (old process)",
    "toy.legacy.sent_back": "Sent back (old process)",
    "toy.legacy.granted": "Granted (old process)",
}


def _unit(case):
    return case.organisation


def _superior(case):
    return case.organisation.parent


def _district(case):
    return district_of(case.organisation)


def _inspectors(case):
    return case.inspectors.order_by("pk")


def _departments(case):
    return list(case.signoff_departments.order_by("path"))


# The department sign-off step, as a process declares one: a fan-out over
# the departments with a pending request; "agree" waits for them all, one
# "refuse" rejects the case. Answered on the engine's decision page or on
# the toy's sign-off page (/toy/<pk>/departments/).
SIGNOFF = Step(
    "signoff", "Department signs off", states=(S.SIGNOFF,),
    actor=RoleAt(DEPARTMENT, each=pending_departments), fan_out=True, level=True,
    decisions=(
        Decision("agree", S.INSPECTION, "Agree", wait_for_all=True, action="toy.case.signoff_agreed"),
        Decision("refuse", S.REJECTED, "Refuse", comment_required=True, final=True,
                 action="toy.case.signoff_refused", comment_message="Give the reason for refusing the sign-off."),
    ),
)


def after_decision(case, decision, actor, task):
    """The review's approval into the sign-offs opens their round of
    requests (before the split opens one task per request); an answer on
    the sign-off step is written on the department's request."""
    if case.state == S.SIGNOFF and decision.code == "approve":
        request_signoffs(case, _departments(case))
    if decision in SIGNOFF.decisions:
        record_answer(case, decision, actor, task)


RETURN = Decision("return", S.RETURNED, "Return", comment_required=True)

TOY = Process(
    key="toy",
    model="toy.ToyCase",
    title="Toy application",
    action_prefix="toy.case",
    initial=S.DRAFT,
    final_states=(S.ACCEPTED, S.REJECTED, S.WITHDRAWN),
    roles=(SUBMITTER, REVIEWER, INSPECTOR, DEPARTMENT),
    steps=(
        Step(
            "review", "Unit review", states=(S.SUBMITTED,), actor=RoleAt(REVIEWER, _superior),
            review_level=True, bulk=True, deadline_days=2,
            decisions=(
                # A case naming departments goes to their sign-offs first.
                Decision("approve", S.SIGNOFF, "Approve", when=lambda case: bool(_departments(case))),
                Decision("approve", S.INSPECTION, "Approve", when=lambda case: not _departments(case)),
                RETURN,
                Decision("reject", S.REJECTED, "Reject", comment_required=True, final=True),
            ),
        ),
        SIGNOFF,
        Step(
            "inspect", "Inspection", states=(S.INSPECTION,), actor=Assigned(_inspectors, role=INSPECTOR),
            fan_out=True,
            decisions=(
                Decision("agree", S.AWAITING_NOTICE, "Agree", wait_for_all=True),
                Decision("refuse", S.REJECTED, "Refuse", comment_required=True, final=True),
            ),
        ),
        Step(
            "notice", "Public notice", states=(S.AWAITING_NOTICE, S.IN_NOTICE), actor=RoleAt(ADMIN, _district),
            manual=True,
        ),
        Step(
            "decide", "District decides", states=(S.NOTICE_PASSED,), actor=RoleAt(ADMIN, _district),
            review_level=True, deadline_days=3,
            decisions=(
                # Accepting a large application needs its reason on record:
                # a comment the case's own data requires
                # (Decision.comment_required_when).
                Decision("accept", S.ACCEPTED, "Accept", final=True,
                         comment_required_when=lambda case: case.category == "large",
                         comment_message="Say why a large application is accepted."),
                Decision("decline", S.REJECTED, "Decline", comment_required=True, final=True),
                RETURN,
            ),
        ),
        Step(
            "revise", "Revise", states=(S.RETURNED,), actor=RoleAt(SUBMITTER, _unit),
            decisions=(Decision("resubmit", S.SUBMITTED, "Resubmit"),),
        ),
    ),
    transitions=(
        Transition("submit", (S.DRAFT,), S.SUBMITTED, starts_flow=True, actor=RoleAt(SUBMITTER, _unit)),
        Transition("withdraw", (S.SUBMITTED, S.RETURNED), S.WITHDRAWN, ends_flow=True,
                   actor=RoleAt(SUBMITTER, _unit)),
        Transition("publish", (S.AWAITING_NOTICE,), S.IN_NOTICE, by_task=True, check_version=False),
        Transition("pass_notice", (S.IN_NOTICE,), S.NOTICE_PASSED, completes_step=True, check_version=False),
        Transition("uphold_objection", (S.IN_NOTICE,), S.REJECTED, completes_step=True, check_version=False),
    ),
    after_decision=after_decision,
    subject=lambda case: case.title,
    recusal_subject=lambda case: {"organisation": case.organisation, "name": ""},
    notify_creator_in=(S.RETURNED, S.ACCEPTED, S.REJECTED),
    # A case carried from the retired process reads the old row's entries
    # as part of its history, and says what their codes and states mean.
    history_aliases=lambda case: [("toy.toylegacycase", case.carried_from)] if case.carried_from else [],
    history_code_map=LEGACY_CODES,
    history_state_map=LEGACY_STATES,
    # Its organisations' cases, those it is named to inspect, and those its
    # department was asked to sign off.
    selector=lambda user: ToyCase.objects.filter(
        visible_organisations_q(user) | Q(inspectors=user) | asked_cases_q(user, ToyCase, DEPARTMENT)).distinct(),
)
