"""Which districts a user administers: one helper for every page and
service (workflows.organisations.administration). The administrator role
at a district (a root of the tree) administers it; the same role held
lower down, staff status, or no role at all administers none."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from tests.conftest import make_org, make_user
from workflows.models import Membership, OrgKind
from workflows.organisations.administration import (
    administered_district,
    administered_district_ids,
    administered_districts,
    is_district_admin,
)
from workflows.organisations.delegation import forget_cached_roles
from workflows.organisations.roles import ADMINISTRATOR


def test_the_district_administrator_administers_their_district(people):
    other = make_org("乙区总工会", "other", OrgKind.DISTRICT)
    assert administered_districts(people.admin) == [people.district]
    assert administered_district_ids(people.admin) == [people.district.pk]
    assert is_district_admin(people.admin)
    # The district above an organisation of its branch, or the first one.
    assert administered_district(people.admin, people.unit) == people.district
    assert administered_district(people.admin, people.district) == people.district
    assert administered_district(people.admin) == people.district
    assert administered_district(people.admin, other) is None


def test_the_role_below_a_district_administers_none(people):
    # Held at a grassroots union (an import or a mistake can put it there):
    # that union is no district.
    grassroots_admin = make_user("grassroots_admin", (people.unit, ADMINISTRATOR))
    assert administered_districts(grassroots_admin) == []
    assert not is_district_admin(grassroots_admin)
    assert administered_district(grassroots_admin, people.unit) is None


def test_staff_and_nobody_administer_none(people):
    staff = get_user_model().objects.create_user("staff", password="pw", is_staff=True, is_superuser=True)
    for user in (staff, people.reviewer_d, people.submitter, AnonymousUser()):
        assert administered_districts(user) == []
        assert not is_district_admin(user)
        assert administered_district(user) is None


def test_two_districts_each_once_and_one_query_a_request(people, django_assert_max_num_queries):
    other = make_org("乙区总工会", "other", OrgKind.DISTRICT)
    Membership.objects.create(user=people.admin, organisation=other, role=ADMINISTRATOR)
    Membership.objects.create(user=people.admin, organisation=people.district, role="reviewer")
    admin = get_user_model().objects.get(pk=people.admin.pk)  # as a request loads it
    with django_assert_max_num_queries(2):  # memberships and delegations, read once
        for _ in range(5):
            districts = administered_districts(admin)
            administered_district(admin, people.unit)
    assert sorted(d.pk for d in districts) == sorted([people.district.pk, other.pk])
    # Dropping the cached roles (as after naming a substitute) reads them afresh.
    Membership.objects.filter(user=admin, organisation=other).delete()
    assert len(administered_districts(admin)) == 2
    forget_cached_roles(admin)
    assert administered_districts(admin) == [people.district]
