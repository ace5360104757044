"""The hat an act is done in: the organisation and role of the membership
under which the actor was allowed to act, and whom they stood in for.

One person may hold roles at several organisations (a district
administrator who is also a union's submitter). Their acts are recorded
with the organisation of the role the act needed, never with "the
person's organisation": a decision with the task's role at the case's
branch (workflows.steps.decisions), a district act with the district the
actor administers, a substitute's act with the principal's membership.
The audit writer (workflows.audit.log_action) takes the Hat as it is.

Every helper here reads the memberships already cached on the user
(workflows.organisations.access.memberships): deriving the hat costs no
query where the access check has run."""

from workflows.organisations.access import memberships
from workflows.organisations.hat import NO_HAT, Hat  # noqa: F401  (the value, re-exported)
from workflows.organisations.roles import ADMINISTRATOR




def hat_in(user, role, organisation):
    """The Hat of `user` acting as `role` at `organisation`, or None when
    they hold that role there neither themselves nor as a substitute. Their
    own membership wins over a delegated one (no principal is named)."""
    if user is None or organisation is None:
        return None
    held = [m for m in memberships(user) if m.role == role and m.organisation_id == organisation.pk]
    if not held:
        return None
    principal = None
    if all(getattr(m, "delegated_by", None) is not None for m in held):
        principal = held[0].delegated_by
    return Hat(organisation=held[0].organisation, role=role, on_behalf_of=principal)


def first_hat(user, *pairs):
    """The Hat of the first (role, organisation) of `pairs` that `user`
    holds: the ways an act may be allowed, in the order the act prefers
    them (the union's own submitter before the district administrator)."""
    for role, organisation in pairs:
        hat = hat_in(user, role, organisation)
        if hat is not None:
            return hat
    return None


def district_admin_hat(user, organisation):
    """The Hat of `user` as the administrator of the district that
    `organisation` belongs to (the district itself included), or None."""
    if user is None or organisation is None:
        return None
    root_id = organisation.ancestor_ids[0]  # the path starts at the district
    for m in memberships(user):
        if m.role == ADMINISTRATOR and m.organisation_id == root_id and m.organisation.parent_id is None:
            return hat_in(user, ADMINISTRATOR, m.organisation)
    return None


def task_hat(actor, task):
    """The Hat of `actor` taking `task`: the role and organisation the flow
    named on the task (the case's branch), whichever other roles the actor
    holds, and the principal when they stand in for its holder. The
    organisation is read from the actor's cached memberships where one
    matches (a reassigned task's taker may hold none there)."""
    from workflows.models import Organisation
    from workflows.organisations.delegation import on_behalf_of
    from workflows.steps.tasks import acting_pair

    role, org_id = acting_pair(task)
    organisation = next((m.organisation for m in memberships(actor) if m.organisation_id == org_id), None)
    if organisation is None:
        organisation = Organisation.objects.get(pk=org_id)
    return Hat(organisation=organisation, role=role, on_behalf_of=on_behalf_of(actor, task))
