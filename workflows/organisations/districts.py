"""Which districts a user belongs to or works for, as a process scopes its
rounds (campaigns, years) and its district-wide pages, and the units a
district's round reaches. (Which districts a user administers is
workflows.organisations.administration's.)"""

from workflows.models import Organisation
from workflows.organisations.access import memberships
from workflows.organisations.roles import branch_roles


def member_district_ids(user):
    """The organisations above (or being) those the user belongs to,
    among them their districts: a round of one of these districts is the
    user's to see; another district's is a 404."""
    return {pk for m in memberships(user) for pk in m.organisation.ancestor_ids}


def branch_district_ids(user):
    """The districts where the user holds a branch role (administrator,
    reviewer) at the district itself: those who read the whole district."""
    return [m.organisation_id for m in memberships(user)
            if m.role in branch_roles() and m.organisation.parent_id is None]


def units_under(district, kinds):
    """The organisations of `kinds` in `district`'s tree, in the tree's order."""
    return Organisation.objects.filter(kind__in=kinds, path__startswith=district.path).order_by("path")
