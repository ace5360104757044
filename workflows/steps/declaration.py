"""A process, declared once.

A process states its steps here and nothing else: the engine derives from
the declaration the viewflow flow (one human node per step, routing by the
case's state), the allowed state changes (checked by the one transition
function), the inbox's steps and bulk actions, the decision buttons (with
their confirmation for final decisions), the deadlines and the escalation.

Example (a two-level review)::

    # Roles are declared once (workflows.organisations.roles.DeclaredRole)
    # and named by their constants: steps, queries and audit entries alike.
    REVIEWER = DeclaredRole("reviewer", _("Reviewer"), sees_branch=True)
    SUBMITTER = DeclaredRole("submitter", _("Submitter"))

    REVIEW = Process(
        key="toy",
        model="toy.Case",                        # app_label.Model, resolved lazily
        title=_("Toy application"),
        action_prefix="toy.case",                # audit codes: toy.case.approved ...
        initial="draft",
        final_states=("accepted", "rejected", "withdrawn"),
        steps=(
            Step("review", _("Unit reviews"), states=("submitted",),
                 actor=RoleAt(REVIEWER, lambda case: case.organisation.parent),
                 review_level=True, bulk=True, deadline_days=5,
                 decisions=(
                     Decision("approve", "accepted", pgettext_lazy("decision", "Approve")),
                     Decision("return", "returned", _("Return for revision"), comment_required=True),
                     Decision("reject", "rejected", _("Reject"), comment_required=True, final=True),
                 )),
            Step("revise", _("Applicant revises"), states=("returned",),
                 actor=RoleAt(SUBMITTER, lambda case: case.organisation),
                 decisions=(Decision("resubmit", "submitted", _("Resubmit")),)),
        ),
        transitions=(
            Transition("submit", ("draft",), "submitted", starts_flow=True),
            Transition("withdraw", ("submitted", "returned"), "withdrawn", ends_flow=True),
        ),
        roles=(REVIEWER, SUBMITTER),
    )

Invariants (checked when the app loads, `workflows.steps.checks`):

- every state that is neither the initial state nor final belongs to exactly
  one step (so a live case always has an open task, and only the task of its
  state);
- every decision and transition leads to a state of a step or a final state;
- every flow built from a declaration locks its process row.
"""

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Optional


@dataclass(frozen=True)
class Decision:
    """One button of a step.

    `code` is the decision's name (the audit entry's `decision`, the form's
    value); `target` the state the case moves to. `when(case)` limits the
    decision to the cases it is true for: two decisions with the same code
    and different targets and conditions route one button two ways (e.g.
    enterprise candidates to the sign-offs, the others to the notice).
    `final` asks for a confirmation on the page; `warning(case)` may return
    what the confirmation must also show and have acknowledged (a box to
    tick) before the decision is taken, or None. `label_for(case)`, where
    given, names the button for that case (e.g. outcomes a district names
    per kind of campaign); `decisions_for(case)` hands out the decision
    with that label, so buttons, confirmation and messages all say it.
    `comment_required_when(case)`, where given, also requires the comment
    for the cases it is true for (e.g. a refusal when the case's own
    settings ask a reason for it); `decisions_for(case)` hands the decision
    out with `comment_required` so set, so the page, the service and the
    API read one answer. A decision of a fan-out step
    with `wait_for_all` moves the case only once every task of the step has
    taken it; until then the task closes and the case stays."""

    code: str
    target: str
    label: Any
    comment_required: bool = False
    comment_message: Any = None
    final: bool = False
    action: str = ""
    style: str = ""
    when: Optional[Callable[[Any], bool]] = None
    wait_for_all: bool = False
    new_round: bool = False
    warning: Optional[Callable[[Any], Any]] = None
    label_for: Optional[Callable[[Any], Any]] = None
    comment_required_when: Optional[Callable[[Any], bool]] = None

    def offered_for(self, case):
        return self.when is None or bool(self.when(case))

    def for_case(self, case):
        """This decision as `case` shows it: its own label, if it has one,
        and whether the case requires a comment with it."""
        changes = {}
        if self.label_for is not None:
            changes["label"] = self.label_for(case) or self.label
        if self.comment_required_when is not None and not self.comment_required:
            changes["comment_required"] = bool(self.comment_required_when(case))
        return replace(self, **changes) if changes else self


@dataclass(frozen=True)
class RoleAt:
    """Who acts: the holders of `role` at the organisation `at(case)`
    returns. With a fan-out step, `each(case)` returns the organisations, one
    task each (e.g. the departments asked for a sign-off)."""

    role: str
    at: Optional[Callable[[Any], Any]] = None
    each: Optional[Callable[[Any], Iterable[Any]]] = None


@dataclass(frozen=True)
class Assigned:
    """Who acts: named users. `users(case)` returns them; a fan-out step
    opens one task per user (e.g. two inspectors), otherwise the one task
    belongs to the first user returned. `role` is what the audit names."""

    users: Callable[[Any], Iterable[Any]]
    role: str = ""


@dataclass(frozen=True)
class Step:
    """A human step, open while the case is in one of `states`.

    `review_level`: the step judges the case, so the actor recuses from a
    case they have a conflict with, and the four-eyes rule counts it as a
    level. `bulk`: the inbox offers its decisions for several cases at
    once. `deadline_days`: working days before reminders and escalation
    (a process may override per case with `Process.deadline_days`).
    `escalate_to(organisation)`: the users told when the step is overdue
    (default: the reviewers one level up). `manual`: the step's task is
    closed by a process service (e.g. a notice closing), not by the
    decision buttons, and offers no buttons. `url(case)`: where its task
    leads from the inbox (default: the case's page); `note(case)`: a line
    the inbox shows on the task (e.g. until when a notice runs). `level`:
    count the step's decisions as a level for the four-eyes rule without it
    being a review level (default: as `review_level`). `form_url(case)`:
    the step's decisions need the process's own form (scores, inspectors,
    a revised report), so the engine's decision page sends the user there
    instead of offering its buttons."""

    name: str
    title: Any
    states: tuple
    actor: Any
    decisions: tuple = ()
    fan_out: bool = False
    review_level: bool = False
    bulk: bool = False
    deadline_days: Optional[int] = None
    escalate_to: Optional[Callable[[Any], Iterable[Any]]] = None
    manual: bool = False
    level: Optional[bool] = None
    url: Optional[Callable[[Any], str]] = None
    note: Optional[Callable[[Any], Any]] = None
    form_url: Optional[Callable[[Any], str]] = None

    @property
    def counts_as_level(self):
        """Do this step's decisions count as a level for the four-eyes
        rule? Review levels do; a step may say so on its own (`level`),
        e.g. a department's sign-off, which judges without recusing."""
        return self.review_level if self.level is None else self.level

    def decisions_for(self, case):
        return [d.for_case(case) for d in self.decisions if d.offered_for(case)]

    def decision(self, case, code):
        for d in self.decisions_for(case):
            if d.code == code:
                return d
        return None


@dataclass(frozen=True)
class Transition:
    """A change of state that is not a step's decision: submitting (which
    starts the flow), withdrawing (which ends it), a notice passing.

    Who may take it: with `by_task`, whoever may take the open task of the
    case's step (a reassignment or a substitute included); else the holders
    of `actor` (a RoleAt); with neither, the caller has checked (a system
    job). `completes_step` closes the step's open task; `decision` is the
    code the audit entry records (default: `code`); `refused_message` is
    the rule's message when the case is not in a source state (default:
    "already handled"). `label`, `final` and `style` make it a button on the
    case's page (a final one asks for confirmation). `notify_as_act`: the
    notification it sends names the act (its audit label, e.g. a count
    reopened for a recount), not the state it leads back to, whose name
    would mislead ("voting closed")."""

    code: str
    sources: tuple
    target: str
    action: str = ""
    starts_flow: bool = False
    ends_flow: bool = False
    completes_step: bool = False
    by_task: bool = False
    actor: Optional["RoleAt"] = None
    check_version: bool = True
    decision: Optional[str] = None
    refused_message: Any = None
    label: Any = None
    final: bool = False
    style: str = ""
    notify_as_act: bool = False


@dataclass
class Process:
    """A whole process. `model` is "app_label.ModelName"; the model holds a
    `state` FSMField (protected) and a `version` integer. Hooks, all
    optional, run inside the decision's transaction:

    - ``lock_first(case, code)``: lock the rows that come before the case
      in the lock order (docs/lock-order.md) for the decision or transition
      `code`, e.g. the campaign row a decision that allocates a certificate
      number will lock; called in the transaction before the case's row is
      locked;
    - ``before_decision(case, decision, actor)`` may raise RuleViolation
      (e.g. quota rules before a final decision);
    - ``after_decision(case, decision, actor, task)`` e.g. records a round,
      issues a certificate, records a department's opinion;
    - ``subject(case)``: how notices, notifications and recusal name the case;
    - ``recusal_subject(case)``: {"organisation", "id_number", "name"};
    - ``deadline_days(case, step_name)``: a per-case override of the
      declared days (e.g. a campaign's setting), or None for the default;
    - ``selector(user)``: the cases the user may see (the engine's bulk
      decisions look cases up only through it);
    - ``after_transition(case, transition, actor)``: after a declared
      transition, like `after_decision`;
    - ``integrity(case)``: what `manage.py check_integrity` should also
      find wrong with a case, as sentences (e.g. a record counted twice).

    `notify_creator_in`: states in which the case's creator is told.

    The engine's decision page (`workflows.steps.decision_page`) serves
    every step's decisions; a process supplies only what is its own:
    `decision_panel`, a template the page includes above the buttons (what
    the decision is taken on: scores, thresholds, a tally), given `case`;
    ``done_message(case, decision)``, the line shown once the decision is
    taken (default: "Done: <label>.").
    `roles`: the DeclaredRole objects its steps and pages name; registered
    with the engine (their labels, and which see the branch below them).
    `second_factor_roles`: {role code: organisation kinds, or None for
    any} whose holders must sign in with a second factor, because the
    process lets them read what 等保 protects (full ID numbers) or decide
    what cannot be undone (open and count a secret vote).

    History aliases (workflows.history_aliases): ``history_aliases(case)``
    returns other subjects whose audit entries are part of the case's
    history, as [(ContentType or "app_label.model", object id)], e.g. the
    entries a case carried over from a retired process wrote under its old
    row (the audit log is never rewritten). Every reader of a case's
    history reads them with the case's own. `history_code_map` ({the old
    action code: the case's own action code}) and `history_state_map` ({the
    old state: the case's own state}) say what those entries mean in this
    process: which are decisions at which level (four eyes, the printed
    opinions), which path they took (the process map). An alias's entries
    keep their codes, and their own labels, wherever they are shown.
    """

    key: str
    model: str
    title: Any
    action_prefix: str
    initial: str
    final_states: tuple
    steps: tuple
    transitions: tuple = ()
    roles: tuple = ()
    lock_first: Optional[Callable[[Any, str], None]] = None
    before_decision: Optional[Callable] = None
    after_decision: Optional[Callable] = None
    subject: Optional[Callable[[Any], str]] = None
    recusal_subject: Optional[Callable[[Any], dict]] = None
    recusal_self_message: Any = None
    deadline_days: Optional[Callable[[Any, str], Optional[int]]] = None
    after_transition: Optional[Callable] = None
    selector: Optional[Callable] = None
    integrity: Optional[Callable[[Any], list]] = None
    notify_creator_in: tuple = ()
    decision_panel: str = ""
    done_message: Optional[Callable[[Any, Any], str]] = None
    second_factor_roles: dict = field(default_factory=dict)
    history_aliases: Optional[Callable[[Any], list]] = None
    history_code_map: dict = field(default_factory=dict)
    history_state_map: dict = field(default_factory=dict)

    def step(self, name):
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)

    def step_of_state(self, state):
        for step in self.steps:
            if state in step.states:
                return step
        return None

    def transition(self, code):
        for t in self.transitions:
            if t.code == code:
                return t
        raise KeyError(code)

    def allowed(self):
        """Every (source, target) pair a case of the process may take."""
        pairs = set()
        for step in self.steps:
            for d in step.decisions:
                for source in step.states:
                    pairs.add((source, d.target))
        for t in self.transitions:
            for source in t.sources:
                pairs.add((source, t.target))
        return pairs

    def audit_action(self, code, explicit=""):
        return explicit or f"{self.action_prefix}.{code}"

    def get_model(self):
        from django.apps import apps

        return apps.get_model(self.model)
