"""The model workers' home route, stated once (issue 8).

unit submits its self-assessment → intermediate union recommends (or
returns / does not recommend) → the district names two or more inspectors
→ each inspector scores every item on their own task (one task each; the
case moves on when all have submitted) → the district compares and puts the
first applications on public notice (公示, with objections) → the district
decides (模范 / 合格 / not granted). A re-inspection (复查) of a title takes
the same inspectors' step and is decided straight after it: keep, downgrade
or revoke (摘牌).

The engine derives the flow, the allowed state changes, the inbox and the
deadlines from this declaration; awards.modelhome.services and .decisions
call `decide` / `do_transition` and hold the rules (hooks.py)."""

from operator import attrgetter

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from awards.roles import Role
from workflows.steps.declaration import Assigned, Decision, Process, RoleAt, Step, Transition
from workflows.scoring.assigned import inspectors_owing
from workflows.steps.own_pages import own_page
from workflows.steps.places import district as _district, unit as _unit
from workflows.steps.standard_route import at_intermediate

from . import hooks, selectors
from .models import AppState as S

ACTION = "modelhome.application"

_reinspection = attrgetter("is_reinspection")


def _done_message(application, decision):
    if decision.code in ("recommend", "return", "reject"):
        return gettext("Your decision is recorded.")
    return gettext("Decision recorded.")


MODEL_HOME = Process(
    key="modelhome",
    model="modelhome.Application",
    title=_("Model workers' home application"),
    action_prefix=ACTION,
    initial=S.DRAFT,
    final_states=(S.GRANTED, S.NOT_GRANTED, S.REJECTED, S.WITHDRAWN),
    roles=(Role.SUBMITTER, Role.REVIEWER, Role.DISTRICT_ADMIN, Role.INSPECTOR),
    steps=(
        Step(
            "recommend", _("Intermediate union recommends"), states=(S.SUBMITTED,),
            actor=RoleAt(Role.REVIEWER, at_intermediate), review_level=True, deadline_days=10,
            decisions=(
                Decision("recommend", S.RECOMMENDED, _("Recommend"), action=f"{ACTION}.recommended"),
                Decision("return", S.RETURNED, pgettext_lazy("decision", "Return for revision"),
                         comment_required=True, comment_message=_("Say why, for the unit to read."),
                         action=f"{ACTION}.returned"),
                Decision("reject", S.REJECTED, _("Do not recommend"), comment_required=True, final=True,
                         comment_message=_("Say why, for the unit to read."), style="danger",
                         action=f"{ACTION}.rejected"),
            ),
        ),
        Step(
            "revise", _("Unit revises and resubmits"), states=(S.RETURNED,),
            actor=RoleAt(Role.SUBMITTER, _unit), deadline_days=10, form_url=own_page("modelhome:application_edit"),
            decisions=(Decision("resubmit", S.SUBMITTED, _("Submit to the intermediate union"),
                                action=f"{ACTION}.submitted"),),
        ),
        Step(
            "assign", _("District assigns inspectors"), states=(S.RECOMMENDED,),
            actor=RoleAt(Role.DISTRICT_ADMIN, _district), deadline_days=10, form_url=own_page("modelhome:assign"),
            decisions=(Decision("assign", S.INSPECTING, _("Assign"), action=f"{ACTION}.inspectors_assigned"),),
        ),
        Step(
            "inspect", _("Inspector scores on site"), states=(S.INSPECTING,), fan_out=True,
            actor=Assigned(users=inspectors_owing, role=Role.INSPECTOR), deadline_days=15,
            url=own_page("modelhome:inspection_edit"), form_url=own_page("modelhome:inspection_edit"),
            decisions=(
                Decision("submit_scores", S.SCORED, _("Submit my scores"), wait_for_all=True,
                         when=lambda application: not application.is_reinspection,
                         action=f"{ACTION}.inspection_submitted"),
                Decision("submit_scores", S.REINSPECTED, _("Submit my scores"), wait_for_all=True,
                         when=_reinspection, action=f"{ACTION}.inspection_submitted"),
            ),
        ),
        Step(
            "notice", _("Comparison and public notice"), states=(S.SCORED, S.IN_NOTICE),
            actor=RoleAt(Role.DISTRICT_ADMIN, _district), manual=True,
        ),
        Step(
            "decide", _("District decides"), states=(S.NOTICE_PASSED,),
            actor=RoleAt(Role.DISTRICT_ADMIN, _district), review_level=True, deadline_days=10,
            decisions=(
                Decision("model", S.GRANTED, _("Grant 模范 (model)"), final=True, action=f"{ACTION}.granted"),
                Decision("qualified", S.GRANTED, _("Grant 合格 (qualified)"), final=True,
                         action=f"{ACTION}.granted"),
                Decision("not_granted", S.NOT_GRANTED, _("Do not grant"), final=True, style="danger",
                         action=f"{ACTION}.not_granted"),
            ),
        ),
        Step(
            "decide_reinspection", _("District decides on the re-inspection"), states=(S.REINSPECTED,),
            actor=RoleAt(Role.DISTRICT_ADMIN, _district), review_level=True, deadline_days=10,
            decisions=(
                Decision("keep", S.GRANTED, _("Keep the title"), final=True, action=f"{ACTION}.granted"),
                Decision("downgrade", S.GRANTED, _("Downgrade to 合格"), final=True, action=f"{ACTION}.granted"),
                # The history says 摘牌, not "title not granted".
                Decision("revoke", S.NOT_GRANTED, _("Revoke the title (摘牌)"), final=True, style="danger",
                         action=f"{ACTION}.title_revoked"),
            ),
        ),
    ),
    transitions=(
        Transition("submit", (S.DRAFT,), S.SUBMITTED, starts_flow=True, actor=RoleAt(Role.SUBMITTER, _unit),
                   action=f"{ACTION}.submitted"),
        Transition("withdraw", (S.DRAFT, S.SUBMITTED, S.RETURNED), S.WITHDRAWN, ends_flow=True,
                   actor=RoleAt(Role.SUBMITTER, _unit), action=f"{ACTION}.withdrawn"),
        Transition("open_reinspection", (S.DRAFT,), S.RECOMMENDED, starts_flow=True,
                   actor=RoleAt(Role.DISTRICT_ADMIN, _district), action=f"{ACTION}.reinspection_opened"),
        # The district's remedies for a disagreement: an inspector re-scores,
        # or a third inspector scores; the case goes back to the inspectors'
        # step for them alone (decisions.rescore_request / third_inspector_add).
        Transition("request_rescore", (S.SCORED, S.REINSPECTED), S.INSPECTING, completes_step=True,
                   actor=RoleAt(Role.DISTRICT_ADMIN, _district), action=f"{ACTION}.rescore_requested"),
        Transition("add_inspector", (S.SCORED, S.REINSPECTED), S.INSPECTING, completes_step=True,
                   actor=RoleAt(Role.DISTRICT_ADMIN, _district), action=f"{ACTION}.inspector_added"),
        Transition("publish", (S.SCORED,), S.IN_NOTICE, by_task=True, check_version=False,
                   action=f"{ACTION}.published"),
        Transition("pass_notice", (S.IN_NOTICE,), S.NOTICE_PASSED, completes_step=True, check_version=False,
                   action=f"{ACTION}.notice_passed"),
        Transition("uphold_objection", (S.IN_NOTICE,), S.NOT_GRANTED, completes_step=True, check_version=False,
                   action=f"{ACTION}.not_granted"),
    ),
    lock_first=hooks.lock_first,
    before_decision=hooks.before_decision,
    after_decision=hooks.after_decision,
    subject=lambda application: application.organisation.name,
    recusal_subject=lambda application: {"organisation": application.organisation},
    selector=selectors.visible_applications,
    notify_creator_in=(S.RETURNED, S.GRANTED, S.NOT_GRANTED, S.REJECTED),
    decision_panel="modelhome/decide_panel.html",
    done_message=_done_message,
)
