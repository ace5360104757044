"""Reading an identity number in full (workflows.security.identity_reads):
only under a grant, each reading in the case's history."""

import pytest

from workflows.audit import history_of
from workflows.exceptions import NotAllowed
from workflows.security.identity_reads import grant_at, read_in_full


def test_a_grant_is_a_role_at_the_organisation(people):
    assert grant_at(people.admin, people.district.pk, ("district_admin",)) == (people.district, "district_admin")
    assert grant_at(people.submitter, people.district.pk, ("district_admin",)) is None


def test_reading_in_full_is_recorded_and_refused_without_a_grant(people, journey):
    case = journey.new()
    grant = grant_at(people.admin, people.district.pk, ("district_admin",))
    value = read_in_full(case, "110101199003071234", grant=grant, action="toy.case.id_read", actor=people.admin,
                         where="page", refusal="no")
    assert value == "110101199003071234"
    entry = history_of(case).get(action="toy.case.id_read")
    assert (entry.actor, entry.organisation, entry.role, entry.data) == (
        people.admin, people.district, "district_admin", {"where": "page"})
    with pytest.raises(NotAllowed):
        read_in_full(case, "x", grant=None, action="toy.case.id_read", actor=people.submitter, where="page",
                     refusal="no")
    assert history_of(case).filter(action="toy.case.id_read").count() == 1
