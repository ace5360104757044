"""Recusal: a reviewer never decides on a case of their own grassroots
unit, on their own nomination, or on someone they declared a conflict with.

A case tells who it is about through ``case.recusal_subject()``, a dict with
``organisation`` (the nominating Organisation), and for a person
``id_number`` and ``name``. The attempt is refused and logged by
`refuse_if_conflicted`; `route_around_conflicts` moves a task whose every
possible actor is conflicted up to the superior organisation's holders of
the same role.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from .audit import log_action
from .exceptions import NotAllowed
from .models import ConflictDeclaration, ConflictRelation, Membership, Organisation, OrgKind, Role

# The roles that judge a case; the chair who confirms their own unit's
# nomination does not recuse.
RECUSAL_ROLES = (Role.REVIEWER, Role.DISTRICT_ADMIN)


def _norm(text):
    return "".join((text or "").split()).lower()


def _full_names(user):
    names = {_norm(user.first_name + user.last_name), _norm(user.last_name + user.first_name)}
    names.discard("")
    return names


def _own_grassroots(user):
    """The grassroots unions the user belongs to in any role (a sub-union
    counts as its grassroots union)."""
    units = []
    for m in Membership.objects.filter(
        user=user, organisation__kind__in=[OrgKind.GRASSROOTS, OrgKind.SUB_UNION]
    ).select_related("organisation"):
        org = m.organisation
        if org.kind == OrgKind.SUB_UNION:
            org = org.ancestor_of_kind(OrgKind.GRASSROOTS) or org
        units.append(org)
    return units


def conflict_reason(user, case):
    """Why `user` must not decide on `case`, or None."""
    subject = case.recusal_subject()
    organisation = subject.get("organisation")
    id_number = (subject.get("id_number") or "").strip().upper()
    name = _norm(subject.get("name"))
    if organisation is not None:
        for unit in _own_grassroots(user):
            if organisation.is_within(unit):
                return _("%(case)s comes from your own unit (%(unit)s).") % {"case": case, "unit": unit.name}
    if name and name in _full_names(user):
        return _("%(case)s is a nomination of yourself.") % {"case": case}
    for declared in ConflictDeclaration.objects.filter(user=user).select_related("organisation"):
        declared_id = declared.person_id_number.strip().upper()
        if declared.relation == ConflictRelation.SELF and declared_id and declared_id == id_number:
            return _("%(case)s is a nomination of yourself.") % {"case": case}
        if declared.organisation_id and organisation is not None and organisation.is_within(declared.organisation):
            return _("You declared a conflict of interest with %(org)s.") % {"org": declared.organisation.name}
        if declared_id and declared_id == id_number:
            return _("You declared a conflict of interest with %(name)s.") % {"name": subject.get("name")}
        if not declared_id and declared.person_name and _norm(declared.person_name) == name:
            return _("You declared a conflict of interest with %(name)s.") % {"name": subject.get("name")}
    return None


def _holders(role, organisation_id):
    return list(
        get_user_model().objects.filter(
            memberships__role=role, memberships__organisation_id=organisation_id, is_active=True
        ).distinct()
    )


def possible_actors(task, *, role=None, organisation_id=None):
    """The users who could act on `task` today (its owner, or the holders of
    its role at its organisation), with the substitutes of each."""
    from .delegation import substitutes_of
    from .flows import acting_pair

    if task.owner_id and role is None:
        users = list(get_user_model().objects.filter(pk=task.owner_id, is_active=True))
    else:
        pair_role, pair_org = acting_pair(task)
        users = _holders(role or pair_role, organisation_id or pair_org)
    users += [u for u in substitutes_of([u.pk for u in users]) if u not in users]
    return users


def eligible_actors(task, case, **kwargs):
    role = kwargs.get("role") or task.owner_permission.removeprefix("role:")
    users = possible_actors(task, **kwargs)
    if role not in RECUSAL_ROLES:
        return users
    return [u for u in users if conflict_reason(u, case) is None]


def route_around_conflicts(case, task, *, actor=None, ip=None):
    """If nobody who may act on `task` is free of a conflict, give the task to
    the same role one organisation up (repeatedly), where someone is.
    Call inside the transaction that created or touched the task. Returns
    the organisation the task now belongs to, or None if unchanged."""
    from viewflow.workflow import STATUS

    from .flows import acting_pair

    role, org_id = acting_pair(task)
    if role not in RECUSAL_ROLES:
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
        comment=_("Every %(role)s of %(org)s has a conflict of interest; the step goes to %(target)s.")
        % {"role": Role(role).label, "org": organisation.name, "target": target.name},
        data={"task": task.pk, "step": task.flow_task.name, "from": organisation.pk, "to": target.pk},
    )
    return target


def refuse_if_conflicted(actor, case, task, *, ip=None):
    """Refuse (NotAllowed) a decision by a conflicted actor. The refusal is
    logged and the task routed around them in a transaction of its own, so
    call this before opening the decision's transaction: the NotAllowed that
    follows must not roll the log back."""
    from .flows import acting_pair

    role, org_id = acting_pair(task)
    if role not in RECUSAL_ROLES:
        return
    reason = conflict_reason(actor, case)
    if reason is None:
        return
    with transaction.atomic():
        log_action(
            case, "workflows.recusal.refused", actor=actor, organisation=Organisation.objects.get(pk=org_id),
            role=role, comment=reason, ip=ip, data={"task": task.pk, "step": task.flow_task.name},
        )
        locked = type(task).objects.select_for_update().get(pk=task.pk)
        route_around_conflicts(case, locked, ip=ip)
    raise NotAllowed(_("You must recuse yourself: %(reason)s") % {"reason": reason})
