"""Who acts when the holder of a role is away, or when the district hands a
task to someone else.

- A delegation lets a substitute act, for a period, in every role the
  absent user (the principal) holds: `workflows.organisations.access.memberships` adds
  the principal's memberships to the substitute's, so the inbox, the access
  checks and `flows.may_act` follow without further code. A service that
  records a decision asks `on_behalf_of(actor, task)` and names the
  principal in the audit entry.
- Only a peer or a superior may stand in: for each of the principal's
  roles, the substitute must hold the same role at the same organisation or
  at one above it (`may_substitute`). Otherwise a chair named for an
  intermediate reviewer would confirm a case and then review it a
  level up. The rule is checked when the delegation is made and again each
  time it is used, so a substitute who loses a role stops standing in.
  Recusal applies the principal's conflicts to the substitute as well
  (workflows.organisations.recusal).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import log_action
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import Delegation, Membership
from workflows.notifications.services import notify, register_event
from workflows.organisations.hat import NO_HAT, Hat
from workflows.organisations.roles import ADMINISTRATOR
from workflows.steps.tasks import acting_pair


register_event(
    "workflows.event.substitute_named",
    lambda data: (
        _("You stand in for %(name)s from %(start)s to %(end)s") % data,
        data.get("reason", ""),
    ),
    label=gettext_lazy("You are named a substitute"),
)


def active_delegations_to(user, on=None):
    day = on or timezone.localdate()
    return Delegation.objects.filter(
        substitute=user, revoked_at__isnull=True, starts_on__lte=day, ends_on__gte=day
    ).select_related("principal")


def _covers(own, wanted):
    """Does one of the memberships `own` hold `wanted`'s role at its
    organisation or at an organisation above it?"""
    return any(m.role == wanted.role and wanted.organisation.path.startswith(m.organisation.path) for m in own)


def may_substitute(substitute, principal):
    """A substitute must be a peer or a superior of the principal in every
    role the principal holds (see the module's docstring)."""
    own = list(Membership.objects.filter(user=substitute).select_related("organisation"))
    wanted = list(Membership.objects.filter(user=principal).select_related("organisation"))
    return bool(wanted) and all(_covers(own, m) for m in wanted)


def eligible_substitutes(principal, candidates):
    """The users of `candidates` (a queryset) who may stand in for
    `principal`, as a queryset."""
    wanted = list(Membership.objects.filter(user=principal).select_related("organisation"))
    if not wanted:
        return candidates.none()
    q = None
    for m in wanted:
        # Same role at the principal's organisation or one of its ancestors.
        holders = Membership.objects.filter(role=m.role, organisation_id__in=m.organisation.ancestor_ids)
        ids = set(holders.values_list("user_id", flat=True))
        q = ids if q is None else q & ids
    return candidates.filter(pk__in=q).exclude(pk=principal.pk)


def delegators(user, on=None):
    """Ids of the users `user` stands in for today (only those the user
    still may substitute: see `may_substitute`)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_unionflow_delegators", None)
    if cached is None:
        principal_ids = set(active_delegations_to(user, on).values_list("principal_id", flat=True))
        if principal_ids:
            own = list(Membership.objects.filter(user=user).select_related("organisation"))
            wanted = {}
            for m in Membership.objects.filter(user_id__in=principal_ids).select_related("organisation"):
                wanted.setdefault(m.user_id, []).append(m)
            principal_ids = {pk for pk in principal_ids if wanted.get(pk) and all(_covers(own, m) for m in wanted[pk])}
        cached = principal_ids
        user._unionflow_delegators = cached
    return cached


def substitutes_of(user_ids, on=None):
    """The users standing in today for any of `user_ids`."""
    day = on or timezone.localdate()
    sub_ids = Delegation.objects.filter(
        principal_id__in=list(user_ids), revoked_at__isnull=True, starts_on__lte=day, ends_on__gte=day
    ).values_list("substitute_id", flat=True)
    return get_user_model().objects.filter(pk__in=list(sub_ids), is_active=True)


def delegated_memberships(user):
    """The principals' own memberships, as unsaved Membership objects of
    `user` marked with `delegated_by`. Never chained: a substitute's
    substitute gets nothing from the first principal."""
    principal_ids = delegators(user)
    if not principal_ids:
        return []
    result = []
    for m in Membership.objects.filter(user_id__in=principal_ids, user__is_active=True).select_related(
        "organisation", "user"
    ):
        proxy = Membership(user=user, organisation=m.organisation, role=m.role)
        proxy.delegated_by = m.user
        result.append(proxy)
    return result


def holds_directly(user, role, organisation_id):
    cached = getattr(user, "_unionflow_memberships", None)  # read by access.memberships this request
    if cached is not None:
        return any(m.role == role and m.organisation_id == organisation_id and getattr(m, "delegated_by", None) is None
                   for m in cached)
    return Membership.objects.filter(user=user, role=role, organisation_id=organisation_id).exists()


def on_behalf_of(user, task):
    """The principal `user` acts for on `task`, or None when acting in their
    own right."""
    if task.owner_id:
        if task.owner_id == user.pk:
            return None
        if task.owner_id in delegators(user):
            return get_user_model().objects.get(pk=task.owner_id)
        return None
    role, org_id = acting_pair(task)
    if holds_directly(user, role, org_id):
        return None
    principal_ids = delegators(user)
    holder = (
        Membership.objects.filter(user_id__in=principal_ids, role=role, organisation_id=org_id)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    return holder.user if holder else None


def _managing_hat(actor, principal):
    """The hat `actor` names or ends a substitution for `principal` in, or
    None when they may not: the principal for themselves (a personal act
    that needs no role: no organisation is recorded), else the administrator
    of a district where the principal holds a role, as that district."""
    if actor.pk == principal.pk:
        return NO_HAT
    paths = list(Membership.objects.filter(user=principal).values_list("organisation__path", flat=True))
    for m in Membership.objects.filter(user=actor, role=ADMINISTRATOR, organisation__parent__isnull=True) \
            .select_related("organisation").order_by("pk"):
        if any(path.startswith(m.organisation.path) for path in paths):
            return Hat(organisation=m.organisation, role=ADMINISTRATOR)
    return None


def delegation_create(*, principal, substitute, starts_on, ends_on, actor, reason="", ip=None):
    """Name `substitute` for `principal` from `starts_on` to `ends_on`
    (both included). The principal or a district administrator may."""
    hat = _managing_hat(actor, principal)
    if hat is None:
        raise NotAllowed(_("Only the absent user or a district administrator can name a substitute."))
    if substitute.pk == principal.pk:
        raise RuleViolation(_("A user cannot be their own substitute."))
    if not substitute.is_active:
        raise RuleViolation(_("The substitute's account is not active."))
    if not may_substitute(substitute, principal):
        raise RuleViolation(
            _("%(name)s does not hold the same role at the same organisation or above it, so cannot stand in.")
            % {"name": substitute.get_full_name() or substitute.get_username()}
        )
    if ends_on < starts_on:
        raise RuleViolation(_("The period ends before it starts."))
    if ends_on < timezone.localdate():
        raise RuleViolation(_("The period is already over."))
    if ends_on - starts_on > datetime.timedelta(days=366):
        raise RuleViolation(_("A substitute can be named for one year at most."))
    with transaction.atomic():
        delegation = Delegation.objects.create(
            principal=principal, substitute=substitute, starts_on=starts_on, ends_on=ends_on,
            reason=reason, created_by=actor,
        )
        log_action(
            delegation, "workflows.delegation.created", actor=actor, hat=hat, comment=reason, ip=ip,
            on_behalf_of=principal if actor.pk != principal.pk else None,
            data={"principal": principal.pk, "substitute": substitute.pk,
                  "from": starts_on.isoformat(), "until": ends_on.isoformat()},
        )
        forget_cached_roles(substitute)
        notify(
            substitute, event="workflows.event.substitute_named",
            data={"name": principal.get_full_name() or principal.get_username(), "start": starts_on.isoformat(),
                  "end": ends_on.isoformat(), "reason": reason},
            key=f"delegation:{delegation.pk}",
        )
    return delegation


def forget_cached_roles(user):
    """Drop the per-object caches of memberships and delegations."""
    for attr in ("_unionflow_memberships", "_unionflow_delegators"):
        user.__dict__.pop(attr, None)


def delegation_revoke(*, delegation, actor, ip=None):
    hat = _managing_hat(actor, delegation.principal)
    if hat is None:
        raise NotAllowed(_("Only the absent user or a district administrator can end a delegation."))
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if locked.revoked_at is not None:
            raise AlreadyHandled()
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        log_action(locked, "workflows.delegation.revoked", actor=actor, hat=hat, ip=ip)
        forget_cached_roles(delegation.substitute)
    delegation.revoked_at = locked.revoked_at
    return delegation
