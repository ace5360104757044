"""The one way a case changes state.

`decide` takes a step's decision and `do_transition` a declared transition
(submit, withdraw, a notice passing ...). Each runs in one transaction:

0. the rows the process locks before the case (`lock_first`: the lock
   order of docs/lock-order.md, e.g. the campaign row of a decision that
   numbers a certificate);
1. the case's row locked and re-checked against the state and the version
   the actor saw (a case that moved on: AlreadyHandled, HTTP 409);
2. the open task of the case's step locked (the case's own task, never one
   named by a URL) and checked against the actor, delegation included;
   recusal and the four-eyes rule where the step is a review level (a
   refusal is logged in a transaction of its own, before this one);
3. the process's rule hook (`before_decision`), the state change (checked
   against the declaration's allowed pairs), the version bumped, the audit
   entry naming actor and principal, the process's `after_decision` hook;
4. the task completed, the flow opening the next tasks, which are routed
   around conflicts and given their deadlines;
5. notifications: rows now, e-mail after commit; the district's webhooks
   (workflows.api.webhooks) through the outbox.

A deadlock or serialization failure is retried once (workflows.conflicts).
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed
from viewflow.workflow import PROCESS

from workflows.api import webhooks
from workflows.audit import log_action, written_together
from workflows.conflicts import retry_on_conflict
from workflows.memo import decision_memo
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation, UndeclaredMove, version_seen
from workflows.organisations.access import memberships
from workflows.organisations.hats import hat_in, task_hat
from workflows.organisations.recusal import (
    eligible_actors, refuse_if_barred, remembering_eligible_actors, route_around_conflicts,
)
from workflows.steps import deadlines
from workflows.steps.fsm import transition_method
from workflows.steps.actors import (
    forget_seen_tasks, lock_task_for, locked_open_tasks_of_step, may_act, open_tasks_of_step,
    seen_open_tasks_of_step, task_for,
)
from workflows.steps.flows import cancel_case_flow, complete_task, start_flow
from workflows.steps.registry import flow_of, process_for
from workflows.steps.tasks import case_url, forget_process, open_tasks, process_of, share_process
from workflows.notifications.services import notify_all
from workflows.steps.progress import CASE_STATE, progress_event


def lock_case(case, *, check_version=True):
    """The case's row, locked, as the actor saw it (else AlreadyHandled)."""
    model = type(case)
    # The case's row alone is locked; its creator (told of the step's
    # outcome: notify_next) comes in the same read.
    query = model.objects.select_for_update(of=("self",))
    creator = _creator_field(model)
    if creator is not None and creator not in case._state.fields_cache:
        query = query.select_related(creator)
    locked = query.get(pk=case.pk)
    if locked.state != case.state or (check_version and locked.version != case.version):
        raise AlreadyHandled()
    share_process(case, locked)
    share_related(case, locked)
    return locked


def _creator_field(model):
    try:
        field = model._meta.get_field("created_by")
    except FieldDoesNotExist:  # a case without a creator
        return None
    return field.name if field.is_relation and field.many_to_one else None


def share_related(case, locked):
    """Give the locked copy the related rows (its organisation, its
    campaign…) the request has already read with the case, where the
    locked row still points to the same ones: the routing, the deadlines
    and the hooks read them again otherwise. The decision locks none of
    them, so the copy read a moment earlier is as good as a second read;
    a row a hook must hold it locks and reads itself (lock_first,
    issue_certificate)."""
    cached = case._state.fields_cache
    for field in type(case)._meta.concrete_fields:
        if not field.is_relation or field.name not in cached or field.name in locked._state.fields_cache:
            continue
        if getattr(case, field.attname) == getattr(locked, field.attname):
            locked._state.fields_cache[field.name] = cached[field.name]


def sync(case, locked):
    """Let the caller's instance see the result: a reload from the row the
    service locked and saved, without reading it again (the protected
    state included, as refresh_from_db reloads it)."""
    case.reload_from(locked)
    forget_seen_tasks(case)
    # The process as the decision left it (read with the task under lock).
    share_process(locked, case)


def move(case, target, process, *, code):
    """The one state change, a django-fsm transition generated from the
    declaration (workflows.steps.fsm): django-fsm checks the move is
    declared, changes the protected state and sends its signals."""
    method = transition_method(case, target)
    if method is None:
        raise UndeclaredMove(_("This decision is not possible at this step."))
    try:
        method(code=code)
    except TransitionNotAllowed as exc:
        raise UndeclaredMove(_("This decision is not possible at this step.")) from exc


def _process(case):
    process = process_for(case)
    if process is None:
        raise RuntimeError(f"No process runs {type(case).__name__}.")
    return process


def decision_step(case):
    """The step open in the case's state, or None (a final state)."""
    return _process(case).step_of_state(case.state)


@retry_on_conflict
def decide(*, case, actor, decision, comment="", version=None, ip=None, data=None, record=None):
    """Take `decision` (a code of the step open in the case's state) as
    `actor`. `version` is the one the actor saw (default: the instance's).
    `record(locked)`, if given, runs in the decision's own transaction (a
    bulk run notes the case as decided: both commit, or neither).
    Returns `case`, updated."""
    process = _process(case)
    if version is not None:
        case.__dict__["version"] = version_seen(version)
    step = process.step_of_state(case.state)
    if step is None or step.manual:
        raise AlreadyHandled()
    chosen = step.decision(case, decision)
    if chosen is None:
        raise NotAllowed(_("This decision is not possible at this step."))
    comment = (comment or "").strip()
    if chosen.comment_required and not comment:
        raise RuleViolation(str(chosen.comment_message or _("A comment is required for this decision.")))
    task = task_for(actor, case, step.name)
    if task is not None:
        # Logged and refused in transactions of their own (the refusal
        # must not roll the log back).
        refuse_if_barred(actor, case, task, ip=ip)
    with decision_memo(), transaction.atomic():
        if process.lock_first is not None:
            process.lock_first(case, chosen.code)
        # The tasks of a fan-out step are answered in parallel: each answers
        # its own task, and the state says whether the step is still open.
        locked = lock_case(case, check_version=not step.fan_out)
        chosen = step.decision(locked, decision)
        if chosen is None:
            raise AlreadyHandled()
        try:
            task = lock_task_for(actor, locked, step.name)
        except NotAllowed:
            raise NotAllowed(_("This step is not yours to take.")) from None
        hat = task_hat(actor, task)
        from_state = locked.state
        if process.before_decision is not None:
            process.before_decision(locked, chosen, actor)
        waiting = chosen.wait_for_all and open_tasks_of_step(locked, step.name).exclude(pk=task.pk).exists()
        if not waiting:
            move(locked, chosen.target, process, code=chosen.code)
            locked.version += 1
            if locked.state in process.final_states and hasattr(locked, "decided_at"):
                locked.decided_at = timezone.now()
            locked.save()
        # The decision's audit entry and those its hook logs (an award's
        # certificate) in one INSERT, as the hook returns.
        with written_together():
            entry = log_action(
                locked, process.audit_action(chosen.code, chosen.action), actor=actor,
                hat=hat, from_state=from_state,
                to_state=locked.state, decision=chosen.code, comment=comment, ip=ip,
                data=data or {},
            )
            # The district's webhooks, sent from the outbox once this commits.
            webhooks.case_decided(locked, process, entry)
            if process.after_decision is not None:
                process.after_decision(locked, chosen, actor, task)
        complete_task(task, actor, case=locked)
        if not waiting:
            route_and_notify(locked, comment=comment)
        if record is not None:
            record(locked)
    sync(case, locked)
    return case


def _check_transition_actor(transition, case, actor):
    """(role, organisation, principal) the transition is taken in, after
    checking the actor may: the open task of the case's step where the
    transition takes it, else the role the transition names."""
    if actor is None:
        return "", None, None, None
    process = _process(case)
    step = process.step_of_state(case.state)
    if transition.by_task and step is not None:
        try:
            task = lock_task_for(actor, case, step.name)
        except NotAllowed:
            raise NotAllowed(transition.refused_message or _("This step is not yours to take.")) from None
        hat = task_hat(actor, task)
        return hat.role, hat.organisation, hat.on_behalf_of, task
    if transition.actor is not None:
        hat = hat_in(actor, transition.actor.role, transition.actor.at(case))
        if hat is None:
            raise NotAllowed(transition.refused_message or _("This step is not yours to take."))
        return hat.role, hat.organisation, hat.on_behalf_of, None
    return "", None, None, None


@retry_on_conflict
def do_transition(*, case, actor, code, comment="", version=None, ip=None, data=None, check=None,
                  role=None, organisation=None, decision=None):
    """Take the declared transition `code` (not a step's decision): submit,
    withdraw, publish, a notice passing. `check(locked)` is the process's
    rule, run under the lock before the change. `actor` None is the system
    (a scheduled job); `role`, `organisation` and `decision` override what the
    audit entry records. Returns `case`, updated."""
    process = _process(case)
    transition = process.transition(code)
    if version is not None:
        case.__dict__["version"] = version_seen(version)
    with decision_memo(), transaction.atomic():
        if process.lock_first is not None:
            process.lock_first(case, code)
        locked = lock_case(case, check_version=transition.check_version)
        if locked.state not in transition.sources:
            if transition.refused_message:
                raise RuleViolation(str(transition.refused_message))
            raise AlreadyHandled()
        acting_role, acting_org, principal, task = _check_transition_actor(transition, locked, actor)
        if check is not None:
            check(locked)
        from_state = locked.state
        step = process.step_of_state(from_state)
        if transition.completes_step and task is None and step is not None:
            task = next(iter(locked_open_tasks_of_step(locked, step.name)), None)
            if task is None:
                raise AlreadyHandled()
        move(locked, transition.target, process, code=code)
        locked.version += 1
        if locked.state in process.final_states and hasattr(locked, "decided_at"):
            locked.decided_at = timezone.now()
        locked.save()
        if transition.starts_flow:
            forget_process(case, locked)
            start_flow(flow_of(process), locked)
        if transition.ends_flow:
            cancel_case_flow(locked)
        log_action(
            locked, process.audit_action(code, transition.action), actor=actor,
            organisation=organisation if organisation is not None else acting_org,
            role=role if role is not None else acting_role, from_state=from_state, to_state=locked.state,
            decision=decision or transition.decision or code, comment=comment, ip=ip,
            on_behalf_of=principal, data=data or {},
        )
        if process.after_transition is not None:
            process.after_transition(locked, transition, actor)
        if transition.completes_step and task is not None:
            complete_task(task, actor or task.owner or _system_user(locked), case=locked)
        with remembering_eligible_actors():
            tasks = list(open_tasks(locked).select_related("deadline"))
            if not transition.ends_flow:
                after_route(locked, tasks)
            notify_next(locked, tasks, comment=comment,
                        act=process.audit_action(code, transition.action) if transition.notify_as_act else "")
    sync(case, locked)
    return case


def route_and_notify(case, *, comment=None):
    """After the flow has opened the next tasks: route them, give them their
    deadlines and tell whoever may act, reading the open tasks (with their
    deadlines) and who may take each once."""
    with remembering_eligible_actors():
        tasks = _open_tasks_after_flow(case)
        after_route(case, tasks)
        notify_next(case, tasks, comment=comment)


def _open_tasks_after_flow(case):
    """The case's open tasks (with their deadlines) once the flow has run:
    none where it ended the process (its end runs only with no task left
    open; a cancelled one cancelled them), else read."""
    process = process_of(case)
    if process is not None and process.status in (PROCESS.DONE, PROCESS.CANCELED):
        return []
    return list(open_tasks(case).select_related("deadline"))


def _system_user(case):
    """Who a scheduled job closes a task as: the case's creator (viewflow
    records a user on every completed task)."""
    return getattr(case, "created_by", None)


def after_route(case, tasks=None):
    """After the flow has opened the next tasks: route each around conflicts
    of interest and give it its deadline. `tasks`: the case's open tasks,
    if the caller has them."""
    process = _process(case)
    tasks = list(open_tasks(case)) if tasks is None else tasks
    for task in tasks:
        route_around_conflicts(case, task)

    def days_for(step_name):
        if process.deadline_days is not None:
            days = process.deadline_days(case, step_name)
            if days is not None:
                return days
        try:
            return process.step(step_name).deadline_days
        except KeyError:
            return None

    deadlines.track(case, days_for, tasks=tasks)


def notify_next(case, tasks=None, *, comment=None, act=""):
    """Tell whoever may act next (substitutes included, recused reviewers
    left out), and the case's creator when it comes back to them or ends:
    an in-app notification now, the e-mail after commit. Stored as what
    happened (the case and its state); read in the reader's language.
    `comment`: the reason given with the change that moved the case (by
    default read back from its history); `act`: the audit code of a
    transition that is told as what was done, not as the state reached."""
    process = _process(case)
    recipients = {}
    for task in open_tasks(case) if tasks is None else tasks:
        for user in eligible_actors(task, case):
            recipients[user.pk] = user
    creator = getattr(case, "created_by", None) if case.state in process.notify_creator_in else None
    if creator is not None:
        # The creator hears under the event of this state (switchable on
        # their own), not as one who acts next.
        recipients.pop(creator.pk, None)
    if not recipients and creator is None:
        return
    model = type(case)
    data = {"model": f"{model._meta.app_label}.{model._meta.object_name}", "pk": case.pk, "state": str(case.state),
            "subject": process.subject(case) if process.subject else str(case),
            "comment": _latest_comment(case) if comment is None else comment}
    if act:
        data["act"] = act
    # Whoever acts next and the creator in one go: their channel choices
    # read in one query, the in-app rows written in one insert.
    notices = []
    if recipients:
        notices.append((recipients.values(), CASE_STATE, data, case_url(case)))
    if creator is not None:
        notices.append((creator, progress_event(process, case.state), data, case_url(case)))
    notify_all(notices)


def _latest_comment(case):
    from workflows.audit import history_of

    entry = history_of(case).exclude(comment="").order_by("-created", "-pk").first()
    return entry.comment if entry is not None and entry.own_to_state == case.state else ""


def case_from_event(data):
    """The case a stored notification is about (None when gone)."""
    try:
        model = apps.get_model(data["model"])
    except (KeyError, LookupError):
        return None
    return model.objects.filter(pk=data.get("pk")).first()


def buttons_for(actor, case, transitions=()):
    """The decisions `actor` may take on `case` now, as declared (code,
    label, style, final, comment_required), then the named `transitions`
    they may take (e.g. submit, withdraw). Only chooses the buttons: the
    services check again."""
    process = _process(case)
    buttons = []
    step = process.step_of_state(case.state)
    if step is not None and not step.manual and may_take(actor, case):
        buttons.extend(step.decisions_for(case))
    for code in transitions:
        transition = process.transition(code)
        if case.state not in transition.sources or transition.actor is None:
            continue
        organisation = transition.actor.at(case)
        if any(m.role == transition.actor.role and m.organisation_id == organisation.pk for m in memberships(actor)):
            buttons.append(transition)
    return buttons


def may_take(actor, case):
    """May `actor` take the step open in the case's state?"""
    step = decision_step(case)
    return step is not None and any(may_act(actor, t) for t in seen_open_tasks_of_step(case, step.name))
