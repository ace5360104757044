"""Recusal: a reviewer never decides on a case of their own grassroots
unit, on a case about themselves, or on someone they declared a conflict with;
and nobody decides two levels of one case (four eyes).

A case tells who it is about through its process's
``recusal_subject(case)``, a dict with ``organisation`` (the unit the case
comes from), and for a person ``id_number`` and ``name``. Only the steps a
process declares as review levels (`Step.review_level`) judge a case: a
chair confirming their own unit's case, or a submitter revising it, does
not recuse. The attempt is refused and logged by
`refuse_if_conflicted`; `route_around_conflicts` moves a task whose every
possible actor is conflicted up to the superior organisation's holders of
the same role. A substitute carries the conflicts of the user they stand in
for as well as their own.

Conflicts are declared through `conflict_declare`, which reroutes the open
tasks the declaration now bars, and withdrawn through `do_withdraw_conflict`,
which is refused while the declaration still covers a case with an open
review step (a recusal is never lifted under a case in flight, and a step
routed around the reviewer is never moved back). `refuse_if_second_level` refuses a decision
by someone who (in their own right or through the user they stand in for)
already decided the same case at another step.
"""

import contextlib
import contextvars

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import log_action, register_action_labels
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import ConflictDeclaration, ConflictRelation, Membership, Organisation
from workflows.organisations.access import has_role
from workflows.organisations.delegation import delegators, forget_cached_roles, substitutes_of
from workflows.organisations.recusal_facts import (  # noqa: F401 (level_decisions: public here)
    LIVE, LiveFacts, holders_and_substitutes, level_decisions, load_conflicts,
)
from workflows.steps.actors import inbox_tasks
from workflows.organisations.roles import ADMINISTRATOR, role_label
from workflows.steps.registry import process_for, step_of_task
from workflows.steps.tasks import acting_pair

register_action_labels({
    "workflows.four_eyes.refused": gettext_lazy("Declined: already decided at another level"),
    "workflows.conflict.declared": gettext_lazy("Conflict of interest declared"),
})


def judges(task):
    """Does the step of `task` judge its case (a review level)?"""
    step = step_of_task(task)
    return bool(step and step.review_level)


def case_subject(case):
    """The process's recusal_subject of `case` ({} when it names none)."""
    process = process_for(case)
    if process is not None and process.recusal_subject is not None:
        return process.recusal_subject(case)
    return {}


def _self_message(case):
    process = process_for(case)
    if process is not None and process.recusal_self_message is not None:
        return process.recusal_self_message
    return gettext_lazy("%(case)s concerns yourself.")


def _norm(text):
    return "".join((text or "").split()).lower()


def _full_names(user):
    names = {_norm(user.first_name + user.last_name), _norm(user.last_name + user.first_name)}
    names.discard("")
    return names


def conflict_reason(user, case, facts=LIVE):
    """Why `user` must not decide on `case`, or None. `facts` is where the
    user's units and declared conflicts are read (recusal_facts)."""
    subject = case_subject(case)
    organisation = subject.get("organisation")
    id_number = (subject.get("id_number") or "").strip().upper()
    name = _norm(subject.get("name"))
    if organisation is not None:
        for unit in facts.own_grassroots(user):
            if organisation.is_within(unit):
                return _("%(case)s comes from your own unit (%(unit)s).") % {"case": case, "unit": unit.name}
    if name and name in _full_names(user):
        return _self_message(case) % {"case": case}
    for declared in facts.conflicts(user):
        declared_id = declared.person_id_number.strip().upper()
        if declared.relation == ConflictRelation.SELF and declared_id and declared_id == id_number:
            return _self_message(case) % {"case": case}
        if declared.organisation_id and organisation is not None and organisation.is_within(declared.organisation):
            return _("You declared a conflict of interest with %(org)s.") % {"org": declared.organisation.name}
        if declared_id and declared_id == id_number:
            return _("You declared a conflict of interest with %(name)s.") % {"name": subject.get("name")}
        if not declared_id and declared.person_name and _norm(declared.person_name) == name:
            return _("You declared a conflict of interest with %(name)s.") % {"name": subject.get("name")}
    return None


def _actor_pairs(task, *, role=None, organisation_id=None):
    """[(user, principal or None)]: the users who could act on `task` today
    (its owner, or the holders of its role at its organisation), then each
    substitute with the holder they stand in for."""
    if task.owner_id and role is None:
        holders = list(get_user_model().objects.filter(pk=task.owner_id, is_active=True))
        substitutes = substitutes_of([u.pk for u in holders])
    else:
        pair_role, pair_org = acting_pair(task)
        holders, substitutes = holders_and_substitutes(role or pair_role, int(organisation_id or pair_org))
    by_pk = {u.pk: u for u in holders}
    pairs = [(u, None) for u in holders]
    for substitute in substitutes:
        for principal_id in sorted(delegators(substitute) & by_pk.keys()):
            pairs.append((substitute, by_pk[principal_id]))
    return pairs


def possible_actors(task, *, role=None, organisation_id=None):
    """The users who could act on `task` today (its owner, or the holders of
    its role at its organisation), with the substitutes of each."""
    users = []
    for user, _principal in _actor_pairs(task, role=role, organisation_id=organisation_id):
        if user not in users:
            users.append(user)
    return users


# While a decision routes and notifies (workflows.steps.decisions), who may
# take each task is asked twice (routing, then notifying): remembered for
# that stretch only, keyed by everything the answer depends on that the
# stretch may change (the task's owner and organisation).
_eligible_memo = contextvars.ContextVar("eligible_memo", default=None)


@contextlib.contextmanager
def remembering_eligible_actors():
    token = _eligible_memo.set({})
    try:
        yield
    finally:
        _eligible_memo.reset(token)


def eligible_actors(task, case, **kwargs):
    """possible_actors without those who must recuse: a holder with a
    conflict, and a substitute with a conflict of their own or standing in
    only for holders with one."""
    memo = _eligible_memo.get()
    if memo is None:
        return _eligible_actors(task, case, **kwargs)
    role, org_id = kwargs.get("role"), kwargs.get("organisation_id")
    if not task.owner_id and (role, org_id) == acting_pair(task):
        role = org_id = None  # the same question as without them
    key = (task.pk, task.owner_id, task.owner_permission, task.owner_permission_obj_pk, role, org_id,
           type(case), case.pk)
    if key not in memo:
        memo[key] = _eligible_actors(task, case, **kwargs)
    return list(memo[key])


def _eligible_actors(task, case, **kwargs):
    if not judges(task):
        return possible_actors(task, **kwargs)
    pairs = _actor_pairs(task, **kwargs)
    load_conflicts({u.pk: u for pair in pairs for u in pair if u is not None})
    free = {}

    def is_free(user):
        if user.pk not in free:
            free[user.pk] = conflict_reason(user, case) is None
        return free[user.pk]

    users = []
    for user, principal in pairs:
        if user in users or not is_free(user):
            continue
        if principal is None or is_free(principal):
            users.append(user)
    return users


def route_around_conflicts(case, task, *, actor=None, ip=None, reason=None):
    """If nobody who may act on `task` is free of a conflict, give the task to
    the same role one organisation up (repeatedly), where someone is.
    Call inside the transaction that created or touched the task. Returns
    the organisation the task now belongs to, or None if unchanged.
    `reason` (with %(role)s, %(org)s, %(target)s) replaces the audit's
    comment when another cause than a conflict left nobody free."""
    from viewflow.workflow import STATUS

    role, org_id = acting_pair(task)
    if not judges(task):
        return None
    if task.owner_id:
        if eligible_actors(task, case):
            return None
        # The one user it was given to is conflicted: back to the role.
        task.owner = None
        task.status = STATUS.NEW
        task.save(update_fields=["owner", "status"])
    if eligible_actors(task, case, role=role, organisation_id=org_id):
        return None
    organisation = Organisation.objects.get(pk=org_id)
    target = None
    for ancestor_id in reversed(organisation.ancestor_ids[:-1]):
        if eligible_actors(task, case, role=role, organisation_id=ancestor_id):
            target = Organisation.objects.get(pk=ancestor_id)
            break
    if target is None:
        return None
    task.owner_permission_obj_pk = str(target.pk)
    task.save(update_fields=["owner_permission_obj_pk"])
    log_action(
        case, "workflows.task.rerouted", actor=actor, organisation=target, role=role, ip=ip,
        comment=(reason or _("Every %(role)s of %(org)s has a conflict of interest; the step goes to %(target)s."))
        % {"role": role_label(role), "org": organisation.name, "target": target.name},
        data={"task": task.pk, "step": task.flow_task.name, "from": organisation.pk, "to": target.pk},
    )
    return target


def _recusal_reason(actor, case, principal, facts):
    reason = conflict_reason(actor, case, facts)
    if reason is None and principal is not None:
        principal_reason = conflict_reason(principal, case, facts)
        if principal_reason is not None:
            reason = _("You stand in for %(name)s, who must recuse: %(reason)s") % {
                "name": _name(principal), "reason": principal_reason,
            }
    return reason


def _four_eyes_reason(actor, earlier, principal):
    values = {
        "case": earlier.case,
        "role": role_label(earlier.role),
        "org": earlier.organisation.name if earlier.organisation else "",
        "date": earlier.created.date().isoformat(),
    }
    if actor.pk in (earlier.actor_id, earlier.on_behalf_of_id):
        return _(
            "You already decided on %(case)s at another level (%(role)s, %(org)s, %(date)s); "
            "a second level must be decided by someone else."
        ) % values
    return _(
        "%(name)s, for whom you stand in, already decided on %(case)s at another level "
        "(%(role)s, %(org)s, %(date)s); a second level must be decided by someone else."
    ) % {**values, "name": _name(principal)}


def bar(actor, case, task, facts=LIVE):
    """Why `actor` may not take `task` of `case` although it is theirs:
    (action code, reason, principal, earlier entry), or None. The one
    question both the inbox (which marks the row) and the decision service
    (which refuses and logs) ask: only steps that judge the case bar anyone
    (a chair confirming their own unit's case does not recuse). The inbox
    passes the facts it loaded for its page (recusal_facts.PageFacts)."""
    if not judges(task):
        return None
    principal = facts.principal(actor, task)
    reason = _recusal_reason(actor, case, principal, facts)
    if reason is not None:
        return "workflows.recusal.refused", reason, principal, None
    earlier = earlier_level(actor, case, task, principal=principal, facts=facts)
    if earlier is not None:
        return "workflows.four_eyes.refused", _four_eyes_reason(actor, earlier, principal), principal, earlier
    return None


def barred_reason(actor, case, task, facts=LIVE):
    found = bar(actor, case, task, facts)
    return found[1] if found else None


def refuse_if_barred(actor, case, task, *, ip=None):
    """Refuse (NotAllowed) a decision by a conflicted actor (or a substitute
    whose principal is conflicted), or by someone who already decided
    another level of the case (four eyes). The refusal is logged, and a
    recusal routes the task around them, in a transaction of its own: call
    this before opening the decision's transaction, so the NotAllowed that
    follows does not roll the log back."""
    found = bar(actor, case, task)
    if found is None:
        return
    action, reason, principal, earlier = found
    role, org_id = acting_pair(task)
    data = {"task": task.pk, "step": task.flow_task.name}
    if earlier is not None:
        data["earlier"] = earlier.pk
    with transaction.atomic():
        log_action(
            case, action, actor=actor, organisation=Organisation.objects.get(pk=org_id),
            role=role, comment=reason, ip=ip, on_behalf_of=principal, data=data,
        )
        if earlier is None:
            locked = type(task).objects.select_for_update().get(pk=task.pk)
            route_around_conflicts(case, locked, ip=ip)
    if earlier is None:
        raise NotAllowed(_("You must recuse yourself: %(reason)s") % {"reason": reason})
    raise NotAllowed(reason)


def _name(user):
    return user.get_full_name() or user.get_username()


# Four eyes ------------------------------------------------------------------------

def _step_of(entry):
    # The state as the case's process names it: an entry under a history
    # alias was written in another process's states (recusal_facts).
    return (entry.role, entry.organisation_id, entry.own_from_state)


def earlier_level(actor, case, task, *, principal=None, facts=LIVE):
    """The audit entry of a decision that `actor` or `principal` (acting
    themselves or through a substitute) took on `case` at another step than
    `task`'s, or None. A step is told apart by its acting role and
    organisation and by the state the case was in: each human step of a
    flow is open in a state of its own, so a second round of the same step
    (after a return) is the same level."""
    role, org_id = acting_pair(task)
    current = (role, org_id, getattr(case, "state", ""))
    people = {actor.pk} | ({principal.pk} if principal is not None else set())
    for entry in facts.level_entries(case):
        if not ({entry.actor_id, entry.on_behalf_of_id} & people):
            continue
        if _step_of(entry) != current:
            return entry
    return None


# Declaring a conflict ----------------------------------------------------------------

def _may_declare_for(actor, reviewer):
    """The reviewer themselves, the administrator of their district, or a
    superuser (the admin's conflicts page)."""
    if actor.pk == reviewer.pk or actor.is_superuser:
        return True
    roots = {
        m.organisation.ancestor_ids[0]
        for m in Membership.objects.filter(user=reviewer).select_related("organisation")
        if m.organisation.ancestor_ids
    }
    return any(has_role(actor, ADMINISTRATOR, root) for root in Organisation.objects.filter(pk__in=roots))


def conflict_problem(*, relation, person_name="", person_id_number="", organisation=None):
    """(field, message) saying why a declaration cannot be recorded, or None:
    the page's form, the admin's form and conflict_declare ask this."""
    if relation not in ConflictRelation.values:
        return "relation", _("Choose the relation.")
    if relation == ConflictRelation.SELF and not (person_id_number or "").strip():
        return "person_id_number", _("Give your own ID number.")
    if relation == ConflictRelation.UNIT and organisation is None:
        return "organisation", _("Choose the unit.")
    if not ((person_name or "").strip() or (person_id_number or "").strip() or organisation):
        return None, _("Name a person or an organisation.")
    return None


def _masked(id_number):
    return id_number[:3] + "…" + id_number[-4:] if len(id_number) > 7 else ("…" if id_number else "")


def conflict_declare(*, reviewer, relation, actor, person_name="", person_id_number="", organisation=None,
                     reason="", ip=None):
    """Record a conflict of interest of `reviewer` and move away from them
    every open task it now bars (workflows.organisations.recusal.route_around_conflicts).
    The audit entry keeps the ID number masked."""
    if not _may_declare_for(actor, reviewer):
        raise NotAllowed(_("Only the reviewer or their district administrator can declare their conflicts."))
    person_name = (person_name or "").strip()
    person_id_number = (person_id_number or "").strip().upper()
    reason = (reason or "").strip()
    problem = conflict_problem(relation=relation, person_name=person_name, person_id_number=person_id_number,
                               organisation=organisation)
    if problem:
        raise RuleViolation(problem[1])
    with transaction.atomic():
        # The reviewer's row, locked: a declaration and a withdrawal of theirs queue up.
        get_user_model().objects.select_for_update().get(pk=reviewer.pk)
        declaration = ConflictDeclaration.objects.create(
            user=reviewer, relation=relation, person_name=person_name, person_id_number=person_id_number,
            organisation=organisation, reason=reason,
        )
        log_action(
            declaration, "workflows.conflict.declared", actor=actor, comment=reason, ip=ip,
            on_behalf_of=reviewer if actor.pk != reviewer.pk else None,
            data={"reviewer": reviewer.pk, "relation": relation, "person": person_name,
                  "id_number": _masked(person_id_number), "organisation": organisation.pk if organisation else None},
        )
        rerouted = _route_barred_tasks(reviewer, actor=actor, ip=ip)
    declaration.rerouted = rerouted
    return declaration


def _route_barred_tasks(reviewer, *, actor, ip):
    """Route around `reviewer` each open task they could act on whose case
    they must now recuse from. Returns how many tasks were looked at and
    touched (moved up or given back to the role)."""
    forget_cached_roles(reviewer)
    touched = 0
    for task in inbox_tasks(reviewer):
        if not judges(task):
            continue
        case = task.process.artifact
        if case is None or conflict_reason(reviewer, case) is None:
            continue
        locked = type(task).objects.select_for_update().get(pk=task.pk)
        before = (locked.owner_id, locked.owner_permission_obj_pk)
        route_around_conflicts(case, locked, actor=actor, ip=ip)
        touched += (locked.owner_id, locked.owner_permission_obj_pk) != before
    return touched


# Withdrawing a declaration -------------------------------------------------------------

class _OnlyDeclaration(LiveFacts):
    """Recusal facts that know one declaration and nothing else, to ask
    which cases that declaration alone covers."""

    def __init__(self, declaration):
        self.declaration = declaration

    def own_grassroots(self, user):
        return []

    def conflicts(self, user):
        return [self.declaration]


def cases_held_by(declaration):
    """The cases with an open review step that `declaration` covers."""
    from viewflow.workflow.models import Task
    from workflows.steps.tasks import OPEN_TASK_STATUSES

    facts, cases = _OnlyDeclaration(declaration), {}
    # A reviewer acts only within their districts: steps elsewhere are not theirs to recuse from.
    roots = {m.organisation.ancestor_ids[0] for m in
             Membership.objects.filter(user_id=declaration.user_id).select_related("organisation")}
    paths = Organisation.objects.filter(pk__in=roots).values_list("path", flat=True)
    within = Organisation.objects.none()
    for path in paths:
        within = within | Organisation.objects.filter(path__startswith=path)
    tasks = Task.objects.filter(
        flow_task_type="HUMAN", status__in=OPEN_TASK_STATUSES,
        owner_permission_obj_pk__in=[str(pk) for pk in within.values_list("pk", flat=True)],
    ).select_related("process")
    for task in tasks.order_by("pk").iterator(chunk_size=500):
        if not judges(task):
            continue
        case = task.process.artifact
        if case is not None and conflict_reason(declaration.user, case, facts) is not None:
            cases.setdefault((type(case), case.pk), case)
    return list(cases.values())


def withdraw_problem(declaration):
    """Why `declaration` cannot be withdrawn now, or None. The rule: a
    recusal stands for a case as long as the case has an open review step
    (wherever it sits: in the reviewer's reach, or routed away from them
    because of this declaration). Lifting it then would hand the reviewer a
    case they declared themselves unfit to judge, or leave a step routed
    around a conflict that no longer exists on record. The declaration can
    be withdrawn once those cases have passed their open review steps."""
    held = cases_held_by(declaration)
    if not held:
        return None
    return _("This declaration still keeps %(name)s off open review steps of: %(cases)s. "
             "It can be withdrawn once these cases have passed those steps.") % {
        "name": _name(declaration.user), "cases": "、".join(str(case) for case in held[:5])
        + ("…" if len(held) > 5 else "")}


WITHDRAWN = "workflows.conflict.withdrawn"
register_action_labels({WITHDRAWN: gettext_lazy("Conflict of interest withdrawn")})


def do_withdraw_conflict(*, declaration, acting_user, ip=None):
    """Remove a declaration, audited. Refused (RuleViolation) while it
    still covers a case with an open review step (withdraw_problem); a
    step already routed around the reviewer is never moved back."""
    if not _may_declare_for(acting_user, declaration.user):
        raise NotAllowed(_("Only the reviewer or their district administrator can declare their conflicts."))
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=declaration.user_id)
        locked = ConflictDeclaration.objects.select_related("user", "organisation").filter(pk=declaration.pk).first()
        if locked is None:
            raise AlreadyHandled()
        problem = withdraw_problem(locked)
        if problem:
            raise RuleViolation(problem)
        log_action(
            locked, WITHDRAWN, actor=acting_user, ip=ip,
            on_behalf_of=locked.user if acting_user.pk != locked.user_id else None,
            data={"reviewer": locked.user_id, "relation": locked.relation, "person": locked.person_name,
                  "id_number": _masked(locked.person_id_number),
                  "organisation": locked.organisation_id, "declared": locked.created.isoformat()},
        )
        locked.delete()
    forget_cached_roles(declaration.user)
