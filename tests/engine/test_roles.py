"""Roles are declared one way: a DeclaredRole (code, label, whether it sees
the branch), listed in Process.roles and registered from there. The object
is its code, so memberships store and queries match the same string as
before; a plain string is refused where a declaration is expected."""

import pickle

import pytest

from tests.conftest import make_user
from tests.engine.toy.declaration import DEPARTMENT, INSPECTOR, REVIEWER, SUBMITTER, TOY
from workflows.models import Membership
from workflows.organisations.access import has_role
from workflows.organisations.roles import (
    ADMINISTRATOR,
    DeclaredRole,
    branch_roles,
    register_role,
    role_choices,
    role_label,
)


def test_a_declared_role_is_its_code(people):
    assert REVIEWER == "reviewer" and REVIEWER.code == "reviewer" and REVIEWER.label == "Reviewer"
    assert ADMINISTRATOR == "district_admin"
    member = make_user("member", (people.town, REVIEWER))
    stored = Membership.objects.get(user=member)
    assert type(stored.role) is str and stored.role == "reviewer"
    assert Membership.objects.filter(role=REVIEWER, user=member).exists()
    assert has_role(member, REVIEWER, people.town)
    # Pickled (a cache, a task) it comes back as the plain code.
    assert pickle.loads(pickle.dumps(REVIEWER)) == "reviewer"


def test_the_process_roles_are_registered_from_their_declarations():
    assert TOY.roles == (SUBMITTER, REVIEWER, INSPECTOR, DEPARTMENT)
    assert role_label(INSPECTOR) == "Inspector"
    assert {"reviewer", "district_admin"} <= branch_roles() and "submitter" not in branch_roles()
    assert ("inspector", "Inspector") in role_choices()


def test_a_role_is_declared_not_spelt():
    with pytest.raises(TypeError):
        register_role("auditor")
    with pytest.raises(ValueError):
        DeclaredRole("", "Nobody")
    with pytest.raises(ValueError):
        DeclaredRole("x" * 21, "Too long")
