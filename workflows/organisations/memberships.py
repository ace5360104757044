"""Granting, changing and taking away a role (a Membership), wherever it is
done (the admin calls these; the district import adds roles its own way).

Each change is one transaction with the membership's row locked and one
audit entry naming the acting user. Losing a role has consequences for
open steps, decided here once:

- a step given to the person alone (a reassignment, a named-people step)
  that they are no longer entitled to goes back to the holders of its
  role at its organisation;
- a step left with nobody holding its role at its organisation is, for a
  review level, sent up to the same role one organisation up
  (recusal.route_around_conflicts, as for a conflict of interest);
  any other step stays where it is, and the audit entry lists it as
  "left without anyone to act" so the district reassigns or grants the
  role again.

Roles the district import gives are held only at the kinds of
organisation it allows (imports.IMPORT_ROLES); `membership_problem` says
so before anything is saved, for the admin's form as for the service."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow import STATUS
from viewflow.workflow.models import Task

from workflows.audit import log_action, register_action_labels
from workflows.exceptions import AlreadyHandled, RuleViolation
from workflows.models import Membership, OrgKind
from workflows.organisations.delegation import forget_cached_roles
from workflows.organisations.recusal import possible_actors, route_around_conflicts
from workflows.organisations.roles import role_label
from workflows.steps.assignment import entitled_to
from workflows.steps.tasks import OPEN_TASK_STATUSES, role_permission

GRANTED = "workflows.membership.granted"
CHANGED = "workflows.membership.changed"
REVOKED = "workflows.membership.revoked"

register_action_labels({
    GRANTED: gettext_lazy("Role granted"),
    CHANGED: gettext_lazy("Role changed"),
    REVOKED: gettext_lazy("Role taken away"),
})


def membership_problem(*, user, organisation, role, exclude_pk=None):
    """Why this role cannot be held, or None."""
    from workflows.organisations.import_sheets import IMPORT_ROLES

    kinds = IMPORT_ROLES.get(role)
    if kinds and organisation.kind not in kinds:
        return _("A %(role)s is held at: %(kinds)s.") % {
            "role": role_label(role), "kinds": "、".join(str(OrgKind(k).label) for k in kinds)}
    same = Membership.objects.filter(user=user, organisation=organisation, role=role).exclude(pk=exclude_pk)
    if same.exists():
        return _("%(user)s already holds this role at %(org)s.") % {"user": user, "org": organisation.name}
    return None


def _check(user, organisation, role, exclude_pk=None):
    problem = membership_problem(user=user, organisation=organisation, role=role, exclude_pk=exclude_pk)
    if problem:
        raise RuleViolation(problem)


def _data(membership):
    return {"user": membership.user_id, "username": membership.user.get_username(),
            "organisation": membership.organisation_id, "role": membership.role}


def do_grant_membership(*, user, organisation, role, acting_user, ip=None):
    _check(user, organisation, role)
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=user.pk)
        _check(user, organisation, role)
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        log_action(membership, GRANTED, actor=acting_user, organisation=organisation, role=role, ip=ip,
                   data=_data(membership))
    forget_cached_roles(user)
    return membership


def do_change_membership(*, membership, user, organisation, role, acting_user, ip=None):
    """Give `membership` another user, organisation or role: the old holder
    loses the old role (with its consequences) in the same transaction."""
    _check(user, organisation, role, exclude_pk=membership.pk)
    with transaction.atomic():
        locked = Membership.objects.select_for_update().select_related("user", "organisation").get(pk=membership.pk)
        _check(user, organisation, role, exclude_pk=locked.pk)
        before = _data(locked)
        old = (locked.user, locked.organisation, locked.role)
        if (old[0].pk, old[1].pk, old[2]) == (user.pk, organisation.pk, role):
            return []  # nothing changes: no entry
        locked.user, locked.organisation, locked.role = user, organisation, role
        locked.save(update_fields=["user", "organisation", "role"])
        stranded = _after_role_lost(*old, acting_user=acting_user, ip=ip)
        log_action(locked, CHANGED, actor=acting_user, organisation=organisation, role=role, ip=ip,
                   data={"before": before, "after": _data(locked), "left_without_actor": stranded})
    for person in (old[0], user):
        forget_cached_roles(person)
    membership.__dict__.update(user=user, organisation=organisation, role=role)
    return stranded


def do_revoke_membership(*, membership, acting_user, ip=None):
    """Take the role away. Returns the ids of open steps left with nobody
    to act (see the module's docstring)."""
    with transaction.atomic():
        locked = Membership.objects.select_for_update().select_related("user", "organisation").filter(
            pk=membership.pk).first()
        if locked is None:
            raise AlreadyHandled()
        data = _data(locked)
        user, organisation, role, pk = locked.user, locked.organisation, locked.role, locked.pk
        locked.delete()
        stranded = _after_role_lost(user, organisation, role, acting_user=acting_user, ip=ip)
        locked.pk = pk  # the entry names the row the deletion freed
        log_action(locked, REVOKED, actor=acting_user, organisation=organisation, role=role, ip=ip,
                   comment=_("Open steps are left without anyone to act: grant the role or reassign them.")
                   if stranded else "",
                   data={**data, "left_without_actor": stranded})
    forget_cached_roles(user)
    return stranded


def _after_role_lost(user, organisation, role, *, acting_user, ip):
    """Call inside the transaction that took `role` at `organisation` from
    `user` (or made `user` inactive: then no role entitles them). Returns
    the ids of the open tasks nobody can act on now."""
    forget_cached_roles(user)
    open_tasks = Task.objects.select_for_update().filter(
        flow_task_type="HUMAN", status__in=OPEN_TASK_STATUSES, owner_permission=role_permission(role),
    )
    # Steps of this role given to the person alone that no role they still
    # hold entitles them to (the reassignment's own rule).
    for task in open_tasks.filter(owner=user).exclude(status=STATUS.STARTED).select_related("process"):
        if user.is_active and entitled_to(user, task):
            continue
        task.owner = None
        task.status = STATUS.NEW
        task.save(update_fields=["owner", "status"])
    stranded = []
    for task in open_tasks.filter(owner_permission_obj_pk=str(organisation.pk), owner__isnull=True).select_related(
            "process"):
        if possible_actors(task):
            continue
        case = task.process.artifact
        moved = case is not None and route_around_conflicts(
            case, task, actor=acting_user, ip=ip,
            reason=_("Nobody holds the role %(role)s at %(org)s any more; the step goes to %(target)s."))
        if moved:
            continue
        stranded.append(task.pk)
    return stranded


# Accounts ------------------------------------------------------------------------------------

DEACTIVATED = "workflows.account.deactivated"
REACTIVATED = "workflows.account.reactivated"
register_action_labels({
    DEACTIVATED: gettext_lazy("Account deactivated"),
    REACTIVATED: gettext_lazy("Account reactivated"),
})


def do_set_account_active(*, user, active, acting_user, ip=None):
    """Make an account inactive (it keeps its roles on record but acts in
    none: its open steps are handed on as when a role is taken away) or
    active again. Returns the ids of open steps left with nobody to act."""
    with transaction.atomic():
        locked = get_user_model().objects.select_for_update().get(pk=user.pk)
        if locked.is_active == active:
            return []
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        stranded = []
        if not active:
            for m in Membership.objects.filter(user=locked).select_related("organisation").order_by("pk"):
                stranded += _after_role_lost(locked, m.organisation, m.role, acting_user=acting_user, ip=ip)
        log_action(locked, REACTIVATED if active else DEACTIVATED, actor=acting_user, ip=ip,
                   comment=_("Open steps are left without anyone to act: grant the role or reassign them.")
                   if stranded else "",
                   data={"username": locked.get_username(), "left_without_actor": stranded})
    user.is_active = active
    forget_cached_roles(user)
    return stranded
