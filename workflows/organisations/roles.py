"""The roles people hold at organisations, declared one way: a
`DeclaredRole` (code, label, whether it sees the branch) made once by
whoever needs it, and named by that constant everywhere, never by a string
literal. The engine declares the one role it acts on itself (the
administrator of a district, who publishes notices, reassigns steps and
revokes certificates); each process declares the roles its steps name in
its roles module and lists them in `Process.roles`
(`workflows.steps.registry.register` registers them).

A membership stores a role's code; its label is looked up here when shown.
`sees_branch` roles see the whole branch below their organisation (a
reviewer sees the cases of the unions under them)."""

from django.utils.translation import gettext_lazy as _


class DeclaredRole(str):
    """A role: the object is its code (what a membership stores, so it
    compares, filters and is stored as that string) and carries its label
    and `sees_branch`. Two processes may declare the same code (a union's
    submitter is one person to every process): the first label registered
    is shown."""

    def __new__(cls, code, label, *, sees_branch=False):
        if not code or len(code) > 20:
            raise ValueError(f"A role code is 1–20 characters: {code!r}")
        role = super().__new__(cls, code)
        role.label = label
        role.sees_branch = sees_branch
        return role

    @property
    def code(self):
        return str.__str__(self)

    def __reduce__(self):
        # Pickled (a cache, a task's arguments) as the plain code it stands for.
        return (str, (self.code,))


ADMINISTRATOR = DeclaredRole("district_admin", _("District administrator"), sees_branch=True)

_LABELS = {}
_BRANCH = set()
# code → organisation kinds where holding it requires a second factor
# (None: at any organisation).
_SECOND_FACTOR = {}


def register_role(role):
    """Add a declared role. A code registered twice keeps its first label;
    a branch role stays one."""
    if not isinstance(role, DeclaredRole):
        raise TypeError(f"Declare the role {role!r} as a DeclaredRole (code, label), not as a plain string.")
    _LABELS.setdefault(role.code, role.label)
    if role.sees_branch:
        _BRANCH.add(role.code)


def require_second_factor(code, kinds=None):
    """Holders of role `code` (at an organisation of one of `kinds`, or
    anywhere) must sign in with a second factor: the roles that administer
    a district, read full ID numbers, or open and count a secret vote
    (declared by the process that gives them that power, `Process.
    second_factor_roles`). Registered twice: the wider of the two."""
    if code in _SECOND_FACTOR and (_SECOND_FACTOR[code] is None or kinds is None):
        _SECOND_FACTOR[code] = None
    elif code in _SECOND_FACTOR:
        _SECOND_FACTOR[code] = _SECOND_FACTOR[code] | frozenset(kinds)
    else:
        _SECOND_FACTOR[code] = None if kinds is None else frozenset(kinds)


def second_factor_roles():
    return dict(_SECOND_FACTOR)


def requires_second_factor(role, organisation_kind):
    if role not in _SECOND_FACTOR:
        return False
    kinds = _SECOND_FACTOR[role]
    return kinds is None or organisation_kind in kinds


def role_label(code):
    return _LABELS.get(code, code)


def role_choices():
    """The choices of Membership.role (a callable, so a role registered by
    an app later still validates)."""
    return [(code, label) for code, label in _LABELS.items()]


def branch_roles():
    return frozenset(_BRANCH)


register_role(ADMINISTRATOR)
require_second_factor(ADMINISTRATOR)
