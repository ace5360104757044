"""The organisations a user's roles reach, as a process's lists and
dashboards ask for them: their own organisations and, for a branch role
(reviewer, district administrator), the branch below. Anything else is a
404 that does not say whether it exists (access.py answers the same for a
case)."""

from django.db.models import Q
from django.http import Http404

from workflows.models import Organisation, OrgKind
from workflows.organisations.access import memberships
from workflows.organisations.roles import branch_roles

BRANCH_KINDS = (OrgKind.DISTRICT, OrgKind.INTERMEDIATE)


def branch_roots(user, kinds=None):
    """The organisations where `user` holds a branch role (of `kinds` when
    given), in the order of their memberships."""
    roles = branch_roles()
    return [m.organisation for m in memberships(user)
            if m.role in roles and (kinds is None or m.organisation.kind in kinds)]


def under_q(roots, path="path"):
    """A Q matching the organisations at or below any of `roots` (nothing
    for none)."""
    q = Q(pk__in=[])
    for root in roots:
        q |= Q(**{f"{path}__startswith": root.path})
    return q


def organisations_visible_to(user, kind=None):
    """The organisations `user` acts for, and those below a branch role;
    of `kind` when given."""
    q = Q(pk__in=[])
    for m in memberships(user):
        q |= Q(path__startswith=m.organisation.path) if m.role in branch_roles() else Q(pk=m.organisation_id)
    found = Organisation.objects.filter(q)
    return found.filter(kind=kind) if kind else found


def branch_scope_for(user, branch_id=None):
    """A dashboard's scope: the asked district or intermediate union when
    the user's branch roles cover it, else their widest; 404 when they have
    none or may not see the branch."""
    scopes = branch_roots(user, BRANCH_KINDS)
    if not scopes:
        raise Http404()
    if not branch_id:
        return min(scopes, key=lambda o: len(o.path))
    try:
        branch = Organisation.objects.get(pk=int(branch_id), kind__in=BRANCH_KINDS)
    except (Organisation.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404() from None
    if not any(branch.path.startswith(scope.path) for scope in scopes):
        raise Http404()
    return branch
