"""The route of a case of a kind of campaign, declared once for both route
templates of `routes.py`:

- `honour`: the union nominates → the unit's chair confirms (optional) →
  the intermediate union reviews (optional) → the district reviews →
  departments sign off (optional) → the district assigns inspectors who
  score on the campaign's standard (optional) → public notice (optional) →
  the final decision with the version's outcomes;
- `aid`: the worker applies through the union → the chair confirms →
  (the intermediate union, optional) → the district → the final decision.

Both templates are the same steps, some left out: one declaration serves
them, and the data only chooses among declared moves. The engine finds a
case's process by its model, so one case model means one declaration; the
case's kind version says which steps it passes through, and every move that
depends on it is a pair of decisions (or transitions) of the same meaning
whose `when(case)` reads the version. Every check the engine runs on a
declaration therefore still holds, whatever a district sets up.

The final decision's outcomes are data (2–6 labelled values): they fill
declared slots `outcome_1` … `outcome_6`, each leading to *granted* or *not
granted* as the version's outcome says; the decision panel names them.

The route's options (definition.ROUTE_OPTIONS) are read the same way:
a reason required on an outcome that does not grant, and a note of what
was changed on handing a returned case in again, through the decisions'
`comment_required_when(case)`; until when the union may withdraw, through
two declared withdrawals (`withdraw_transition`)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.utils.text import format_lazy

from awards.roles import Role
from workflows.models import OrgKind
from workflows.steps.declaration import Assigned, Decision, Process, RoleAt, Step, Transition
from workflows.scoring.assigned import inspectors_owing
from workflows.signoffs.services import pending_departments
from workflows.steps.own_pages import own_page

from . import carried
from .definition import route_option
from .routes import CHANGES_REQUIRED, UNION, WITHDRAW_BEFORE_REVIEW
from .models import KindCaseState as S
from .notices import NOTICE_STEP
from .signoffs import after_decision as signoffs_after_decision
from .signoffs import signing_codes

ACTION = "kinds.case"
MAX_OUTCOMES = 6


def _union(case):
    return case.organisation


def _intermediate(case):
    return case.organisation.parent


def _district(case):
    return case.campaign.district


def has_intermediate(case):
    """The version has the intermediate union's review and the union has an
    intermediate union between it and the district (a union directly under
    the district goes straight to the district)."""
    return case.has_step("intermediate_review") and case.organisation.parent_id != case.campaign.district_id


def _has_chair(case):
    return case.has_step("confirm")


def _notice(case):
    return case.has_step("notice")


def _outcome(index, positive):
    def offered(case):
        outcomes = case.outcomes
        return index < len(outcomes) and bool(outcomes[index].get("positive")) == positive
    return offered


def _outcome_named(index):
    """The button says the version's own label of the outcome (授予, 不予授予 …),
    as the district wrote it; "Outcome N" only where the case has none."""
    def label(case):
        outcomes = case.outcomes
        return outcomes[index].get("label") if index < len(outcomes) else None
    return label


def _reason_on_refusal(case):
    return route_option(case.route, "reason_on_refusal") is True


def _outcome_decisions():
    decisions = []
    for index in range(MAX_OUTCOMES):
        code = f"outcome_{index + 1}"
        label = format_lazy("{} {}", _("Outcome"), index + 1)
        decisions.append(Decision(code, S.GRANTED, label, final=True, when=_outcome(index, True),
                                  action=f"{ACTION}.granted", label_for=_outcome_named(index)))
        decisions.append(Decision(code, S.NOT_GRANTED, label, final=True, style="danger",
                                  when=_outcome(index, False), action=f"{ACTION}.not_granted",
                                  label_for=_outcome_named(index), comment_required_when=_reason_on_refusal,
                                  comment_message=_("Give the reason for this outcome.")))
    return tuple(decisions)


def _not_recommended():
    return Decision("reject", S.REJECTED, _("Do not recommend"), final=True, style="danger", comment_required=True,
                    comment_message=_("Say why the case is not recommended."), action=f"{ACTION}.rejected")


def _signoffs(case):
    """The version has sign-offs and a department signs off this case's
    sector (as May Day's needs_signoffs: a case no department signs off,
    e.g. a public institution's where only enterprises are signed off,
    goes on past the sign-offs)."""
    return case.has_step("signoffs") and bool(signing_codes(case))


def _scoring(case):
    return case.has_step("scoring")


def _routed(code, label, action, routes, **options):
    """One button routed by the case's version: `routes` are (target,
    when) pairs in route order, and the first that holds for the case
    wins (each decision's `when` says that, so exactly one is offered)."""
    decisions, before = [], []
    for target, holds in routes:
        def when(case, holds=holds, before=tuple(before)):
            return holds(case) and not any(earlier(case) for earlier in before)
        decisions.append(Decision(code, target, label, when=when, action=action, **options))
        before.append(holds)
    return tuple(decisions)


def _always(case):
    return True


# Where a case goes past each step, by the steps its version has: the
# notice, else the final decision; before them the inspectors' scoring,
# before that the departments' sign-offs.
AFTER_SCORING = ((S.AWAITING_NOTICE, _notice), (S.DECIDING, _always))
AFTER_SIGNOFFS = ((S.ASSIGNING, _scoring), *AFTER_SCORING)
AFTER_DISTRICT = ((S.SIGNOFFS, _signoffs), *AFTER_SIGNOFFS)


def _after_signoffs(code, label, action, **options):
    """Past the sign-offs (or with none): to the inspectors' scoring when
    the version has it, else to the notice or the final decision."""
    return _routed(code, label, action, AFTER_SIGNOFFS, **options)


def _to_district_review(code, label, action):
    """The district's approval: to the departments' sign-offs when the
    version has them, else past them."""
    return _routed(code, label, action, AFTER_DISTRICT)


def _return():
    return Decision("return", S.RETURNED, _("Return for revision"), comment_required=True,
                    comment_message=_("Say what the union should revise."), action=f"{ACTION}.returned")


def _changes_required(case):
    return route_option(case.route, "resubmission_comment") == CHANGES_REQUIRED


def _to_first_step(code, label, action, **options):
    """Handing in again after a return: to the first step the version has,
    as the first handing in (first_transition)."""
    return (Decision(code, S.CONFIRMING, label, when=_has_chair, action=action, **options),
            Decision(code, S.INTERMEDIATE, label, when=lambda case: not _has_chair(case) and has_intermediate(case),
                     action=action, **options),
            Decision(code, S.DISTRICT, label, when=lambda case: not _has_chair(case) and not has_intermediate(case),
                     action=action, **options))


def _id_number(case):
    """The answer of the version's first ID number field, or ""."""
    spec = next((f for f in case.kind_version.definition["fields"] if f["type"] == "id_number"), None)
    return (case.answers.get(spec["key"]) or "") if spec else ""


def recusal_subject(case):
    """Who the case is about (workflows.organisations.recusal): its union
    and name, and for a kind about a person (nominated or applying) the ID
    number answered, so a reviewer who declared that number as their own
    cannot decide on it (as May Day's individual nominations)."""
    subject = {"organisation": case.organisation, "name": case.name}
    if case.kind_version.definition["applicant"] != UNION:
        subject["id_number"] = _id_number(case)
    return subject


def _selector(user):
    from .selectors import cases_visible_to

    return cases_visible_to(user)


def _subject(case):
    return str(case)


def _deadline_days(case, step_name):
    days = case.route.get("deadline_days", {}).get(step_name)
    return days if isinstance(days, int) else None


def _after_decision(case, decision, actor, task):
    from .outcomes import record_outcome
    from .endings import after_final_decision

    signoffs_after_decision(case, decision, actor, task)
    record_outcome(case, decision)
    if decision.final:
        after_final_decision(case, actor)


def _before_decision(case, decision, actor):
    from .mixrules import check_final_decision
    from .outcomes import note_outcome

    check_final_decision(case, decision)
    note_outcome(case, decision)


def _lock_first(case, code):
    from .endings import lock_first

    lock_first(case, code)


def _done_message(case, decision):
    from .outcomes import outcome_label

    label = outcome_label(case, decision.code)
    return _("Done: %(decision)s.") % {"decision": label} if label else None


KIND_CASE_PROCESS = Process(
    key="kind_case",
    model="kinds.KindCase",
    title=_("Case of a kind of campaign"),
    action_prefix=ACTION,
    initial=S.DRAFT,
    final_states=(S.GRANTED, S.NOT_GRANTED, S.REJECTED, S.WITHDRAWN),
    steps=(
        Step("confirm", _("The unit's chair confirms"), states=(S.CONFIRMING,),
             actor=RoleAt(Role.CHAIR, _union), deadline_days=5, bulk=True,
             decisions=(
                 Decision("confirm", S.INTERMEDIATE, _("Confirm"), when=has_intermediate,
                          action=f"{ACTION}.confirmed"),
                 Decision("confirm", S.DISTRICT, _("Confirm"), when=lambda case: not has_intermediate(case),
                          action=f"{ACTION}.confirmed"),
                 _return(),
                 _not_recommended(),
             )),
        Step("intermediate_review", _("The intermediate union reviews"), states=(S.INTERMEDIATE,),
             actor=RoleAt(Role.REVIEWER, _intermediate), review_level=True, bulk=True, deadline_days=10,
             decisions=(Decision("forward", S.DISTRICT, _("Recommend to the district"),
                                 action=f"{ACTION}.forwarded"),
                        _return(), _not_recommended())),
        Step("district_review", _("The district reviews"), states=(S.DISTRICT,),
             actor=RoleAt(Role.REVIEWER, _district), review_level=True, bulk=True, deadline_days=10,
             decisions=(*_to_district_review("approve", _("Approve"), f"{ACTION}.approved"), _return(),
                        _not_recommended())),
        # The union revises the answers on its own form (case_revise) and
        # hands the case in again: a new round, the old one kept.
        Step("revise", _("The union revises the case"), states=(S.RETURNED,),
             actor=RoleAt(Role.SUBMITTER, _union), form_url=own_page("kinds:case_revise"),
             decisions=_to_first_step("resubmit", pgettext_lazy("decision", "Resubmit"), f"{ACTION}.resubmitted",
                                      new_round=True, comment_required_when=_changes_required,
                                      comment_message=_("Say what was changed."))),
        # The departments the route asks for the case's sector sign off on
        # the engine's requests (signoffs.py: the district's approval opens
        # a round, one task per pending request), each on its own page with
        # its opinion; the case moves on once all agree, and any refusal
        # stops it (not granted), audited with the refusing department.
        Step("signoffs", _("Departments sign off"), states=(S.SIGNOFFS,),
             actor=RoleAt(Role.DEPARTMENT, each=pending_departments), fan_out=True, level=True,
             deadline_days=10, form_url=own_page("kinds:case_signoff"),
             decisions=(
                 *_after_signoffs("agree", pgettext_lazy("decision", "Agree"), f"{ACTION}.signoff_agreed",
                                  wait_for_all=True),
                 Decision("refuse", S.NOT_GRANTED, pgettext_lazy("decision", "Refuse"), comment_required=True,
                          final=True, style="danger", action=f"{ACTION}.signoff_refused",
                          comment_message=_("Give the reason for refusing the sign-off.")),
             )),
        # The district names the version's number of inspectors (people
        # with the inspector role at the district, none with a conflict
        # with the case: scoring.do_assign_inspectors) ...
        Step("assign_inspectors", _("The district assigns inspectors"), states=(S.ASSIGNING,),
             actor=RoleAt(Role.DISTRICT_ADMIN, _district), deadline_days=10, form_url=own_page("kinds:case_assign"),
             decisions=(Decision("assign", S.SCORING, _("Assign inspectors"),
                                 action=f"{ACTION}.inspectors_assigned"),)),
        # ... and each scores the case on the campaign's standard on their
        # own task; the last one's submission moves the case on.
        Step("scoring", _("Inspectors score"), states=(S.SCORING,), fan_out=True,
             actor=Assigned(users=inspectors_owing, role=Role.INSPECTOR), deadline_days=15,
             url=own_page("kinds:case_score"), form_url=own_page("kinds:case_score"),
             decisions=_routed("submit_scores", _("Submit my scores"), f"{ACTION}.scores_submitted", AFTER_SCORING,
                               wait_for_all=True)),
        # Published and closed by the engine's notice pages (the district
        # administrator publishes the campaign's approved cases at once).
        # Awaiting a notice, the task leads to the preview that publishes
        # one; under notice, to the public notice, saying until when it runs.
        Step("notice", _("Public notice"), states=(S.AWAITING_NOTICE, S.IN_NOTICE),
             actor=RoleAt(Role.DISTRICT_ADMIN, _district), manual=True, url=NOTICE_STEP.url, note=NOTICE_STEP.note),
        Step("decision", _("The district decides"), states=(S.DECIDING,),
             actor=RoleAt(Role.DISTRICT_ADMIN, _district), review_level=True, deadline_days=10,
             decisions=(*_outcome_decisions(), _return())),
    ),
    transitions=(
        # Handing the case in: to the first step the version has. Three
        # declared transitions with one audit code; the service picks one.
        Transition("submit_to_chair", (S.DRAFT,), S.CONFIRMING, starts_flow=True,
                   actor=RoleAt(Role.SUBMITTER, _union), action=f"{ACTION}.submitted", decision="submit"),
        Transition("submit_to_intermediate", (S.DRAFT,), S.INTERMEDIATE, starts_flow=True,
                   actor=RoleAt(Role.SUBMITTER, _union), action=f"{ACTION}.submitted", decision="submit"),
        Transition("submit_to_district", (S.DRAFT,), S.DISTRICT, starts_flow=True,
                   actor=RoleAt(Role.SUBMITTER, _union), action=f"{ACTION}.submitted", decision="submit"),
        # The union takes its case back: until the district has reviewed it
        # (the default), or, where the version says so, only before its
        # first review (while the chair has not confirmed it); a returned
        # case always. One audit code; withdraw_transition picks one.
        Transition("withdraw", (S.CONFIRMING, S.INTERMEDIATE, S.DISTRICT, S.RETURNED), S.WITHDRAWN,
                   ends_flow=True, actor=RoleAt(Role.SUBMITTER, _union), action=f"{ACTION}.withdrawn",
                   refused_message=_("Once the district has decided, the case cannot be withdrawn.")),
        Transition("withdraw_before_review", (S.CONFIRMING, S.RETURNED), S.WITHDRAWN,
                   ends_flow=True, actor=RoleAt(Role.SUBMITTER, _union), action=f"{ACTION}.withdrawn",
                   decision="withdraw",
                   refused_message=_("Once the case is under review, it can no longer be withdrawn: only before "
                                     "the chair confirms it, or while it is returned for revision.")),
        Transition("publish", (S.AWAITING_NOTICE,), S.IN_NOTICE, by_task=True, check_version=False,
                   action=f"{ACTION}.published"),
        Transition("pass_notice", (S.IN_NOTICE,), S.DECIDING, completes_step=True, check_version=False,
                   action=f"{ACTION}.notice_passed"),
        Transition("uphold_objection", (S.IN_NOTICE,), S.REJECTED, completes_step=True, check_version=False,
                   action=f"{ACTION}.objection_upheld"),
    ),
    roles=(Role.SUBMITTER, Role.CHAIR, Role.REVIEWER, Role.DISTRICT_ADMIN, Role.DEPARTMENT, Role.INSPECTOR),
    subject=_subject,
    selector=_selector,
    deadline_days=_deadline_days,
    after_decision=_after_decision,
    # The campaign's mix rules, at the final decision (mixrules.py), under
    # the campaign's lock that lock_first takes before the case's; then the
    # outcome chosen, saved with the case's new state.
    before_decision=_before_decision,
    lock_first=_lock_first,
    # A case carried from a retired process reads the old row's entries
    # (carried.py registers what their codes and states mean).
    history_aliases=carried.history_aliases,
    history_code_map=carried.CODES,
    history_state_map=carried.STATES,
    recusal_subject=recusal_subject,
    # The union hears of every step its case reaches, not only the outcome
    # (as May Day's nominations); each is an event it may switch off on the
    # channels page.
    notify_creator_in=(S.INTERMEDIATE, S.DISTRICT, S.SIGNOFFS, S.ASSIGNING, S.SCORING, S.AWAITING_NOTICE,
                       S.IN_NOTICE, S.DECIDING, S.RETURNED, S.GRANTED, S.NOT_GRANTED, S.REJECTED),
    decision_panel="kinds/decide_panel.html",
    done_message=_done_message,
    # Who reads full ID numbers (selectors.identity_grant): the district's
    # reviewers (its administrators already need a second factor) and the
    # departments' officers asked for a sign-off.
    second_factor_roles={Role.REVIEWER: (OrgKind.DISTRICT,), Role.DEPARTMENT: None},
)


def first_transition(case):
    """The transition that hands a draft in, by the version's route."""
    if _has_chair(case):
        return "submit_to_chair"
    return "submit_to_intermediate" if has_intermediate(case) else "submit_to_district"


def withdraw_transition(case):
    """The withdrawal the case's version allows (route.withdraw_until)."""
    if route_option(case.route, "withdraw_until") == WITHDRAW_BEFORE_REVIEW:
        return "withdraw_before_review"
    return "withdraw"


def may_be_withdrawn(case):
    """Is the case in a state its version's withdrawal starts from?"""
    return case.state in KIND_CASE_PROCESS.transition(withdraw_transition(case)).sources
