"""The roles people hold at organisations, registered by whoever needs
them: the engine registers the one role it acts on itself (the
administrator of a district, who publishes notices, reassigns steps and
revokes certificates); each process registers the roles its steps name
(`workflows.steps.registry.register` does that from `Process.roles`).

A membership stores a role's code; its label is looked up here when shown.
`sees_branch` roles see the whole branch below their organisation (a
reviewer sees the cases of the unions under them)."""

from django.utils.translation import gettext_lazy as _

ADMINISTRATOR = "district_admin"

_LABELS = {}
_BRANCH = set()
# code → organisation kinds where holding it requires a second factor
# (None: at any organisation).
_SECOND_FACTOR = {}


def register_role(code, label, *, sees_branch=False):
    """Add a role. A code registered twice keeps its first label; a branch
    role stays one."""
    if not code or len(code) > 20:
        raise ValueError(f"A role code is 1–20 characters: {code!r}")
    _LABELS.setdefault(code, label)
    if sees_branch:
        _BRANCH.add(code)


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


register_role(ADMINISTRATOR, _("District administrator"), sees_branch=True)
require_second_factor(ADMINISTRATOR)
