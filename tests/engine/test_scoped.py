"""The scoped selectors derived from a declaration (workflows.cases.scoped),
on the toy process: the branch's cases, a draft only by its own union, a
case outside the reach a 404, the rounds of the districts above."""

import pytest
from django.http import Http404

from tests.conftest import make_org, make_user
from tests.engine.toy.declaration import TOY
from tests.engine.toy.models import ToyCampaign, ToyCase
from tests.engine.toy.models import ToyState as S
from workflows.cases import scoped
from workflows.models import OrgKind


def _case(people, title, org=None, state=S.SUBMITTED):
    case = ToyCase.objects.create(title=title, organisation=org or people.unit, created_by=people.submitter)
    ToyCase.objects.filter(pk=case.pk).update(state=state)
    return case


def test_the_branch_sees_its_cases_and_a_draft_stays_with_its_union(people):
    other_town = make_org("乙镇工会", "town-b", OrgKind.INTERMEDIATE, people.district)
    other_unit = make_org("乙一厂工会", "unit-b", OrgKind.GRASSROOTS, other_town)
    mine = _case(people, "甲")
    _case(people, "草稿", state=S.DRAFT)
    theirs = _case(people, "乙", org=other_unit)

    def titles(user):
        return sorted(c.title for c in scoped.cases_visible_to(TOY, user))

    assert titles(people.submitter) == ["甲", "草稿"]
    assert titles(people.reviewer) == ["甲"]  # the draft is the union's own work
    assert titles(people.reviewer_d) == ["乙", "甲"]
    assert titles(make_user("nobody")) == []
    assert scoped.case_or_404(TOY, people.reviewer, mine.pk) == mine
    for pk in (theirs.pk, 10**6):  # through the declaration's own selector
        with pytest.raises(Http404):
            scoped.case_or_404(TOY, people.reviewer, pk)


def test_rounds_of_the_districts_above(people):
    campaign = ToyCampaign.objects.create(district=people.district, code="c2026")
    other = make_org("乙区总工会", "district-b", OrgKind.DISTRICT)
    ToyCampaign.objects.create(district=other, code="other")
    assert list(scoped.rounds_above(ToyCampaign, people.submitter)) == [campaign]
    assert scoped.rounds_above(ToyCampaign, people.admin, pk=campaign.pk) == campaign
    with pytest.raises(Http404):
        scoped.rounds_above(ToyCampaign, make_user("nobody"), pk=campaign.pk)
