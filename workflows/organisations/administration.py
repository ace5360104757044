"""Which districts a user administers: the one answer every page, service
and process asks (the API's tokens, passwords and second factors, channel
settings, certificates and print jobs, a process's campaign pages).

A district is a root of the organisation tree; its administrator holds the
engine's ADMINISTRATOR role there. The role held at any other organisation
administers no district. Staff and superusers administer none by being
staff. A substitute standing in for a district's administrator must hold
the role at that district already (workflows.organisations.delegation), so
delegated memberships add no district."""

from workflows.organisations.access import memberships
from workflows.organisations.roles import ADMINISTRATOR


def administered_districts(user):
    """The districts `user` administers, in the order of their memberships,
    each once. Memoised on the user object with the memberships it was read
    from (access.memberships caches those per user object): a request asks
    the database once however often it is called, and when the memberships
    are dropped to be read again (delegation.forget_cached_roles) so is this."""
    if not user.is_authenticated:
        return []
    held = memberships(user)
    cached = getattr(user, "_unionflow_administered_districts", None)
    if cached is None or cached[0] is not held:
        found = {}
        for m in held:
            if m.role == ADMINISTRATOR and m.organisation.parent_id is None:
                found.setdefault(m.organisation_id, m.organisation)
        cached = user._unionflow_administered_districts = (held, list(found.values()))
    return list(cached[1])  # a copy: a caller may change its list


def administered_district(user, organisation=None):
    """The district `user` administers: the one above (or being)
    `organisation` when given, else the first; None when there is none."""
    districts = administered_districts(user)
    if organisation is None:
        return districts[0] if districts else None
    root_id = organisation.ancestor_ids[0] if organisation.ancestor_ids else organisation.pk
    return next((d for d in districts if d.pk == root_id), None)


def administered_district_ids(user):
    return [d.pk for d in administered_districts(user)]


def is_district_admin(user):
    return bool(administered_districts(user))
