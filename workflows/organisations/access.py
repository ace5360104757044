"""Who may see what. Every view of every app asks these helpers; a case
outside the user's reach is answered with 404, never with its existence."""

from django.db.models import Q

from workflows.models import Membership, Organisation
from workflows.organisations.delegation import delegated_memberships
from workflows.organisations.roles import branch_roles


def memberships(user):
    """The user's (organisation, role) pairs, cached on the user object."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_unionflow_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation"))
        # A substitute acts, for a period, in the roles of the user they
        # stand in for (workflows.organisations.delegation).
        cached += delegated_memberships(user)
        user._unionflow_memberships = cached
    return cached


def has_role(user, role, organisation):
    return any(m.role == role and m.organisation_id == organisation.pk for m in memberships(user))


def visible_organisations_q(user, field="organisation"):
    """A Q over a model with an organisation foreign key `field`: the user's
    own organisations, and the branch below those where they hold a branch
    role (reviewer, district administrator). Matches nothing for a user
    without memberships."""
    q = Q(pk__in=[])
    for m in memberships(user):
        if m.role in branch_roles():
            q |= Q(**{f"{field}__path__startswith": m.organisation.path})
        else:
            q |= Q(**{f"{field}_id": m.organisation_id})
    return q


def can_see_organisation(user, organisation):
    for m in memberships(user):
        if m.organisation_id == organisation.pk:
            return True
        if m.role in branch_roles() and organisation.path.startswith(m.organisation.path):
            return True
    return False


def district_of(organisation):
    return Organisation.objects.get(pk=organisation.ancestor_ids[0])


def principal_in(user, role, organisation):
    """Whom `user` stands in for when acting as `role` at `organisation`:
    None when they hold it themselves (or not at all), else the absent
    holder whose role they use (the audit names both)."""
    held = [m for m in memberships(user) if m.role == role and m.organisation_id == organisation.pk]
    if not held or any(getattr(m, "delegated_by", None) is None for m in held):
        return None
    return held[0].delegated_by
