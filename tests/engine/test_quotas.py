"""The engine's quotas through the toy process: a toy campaign's places are
handed down the tree (the district to its intermediate union, that union to
its grassroots unions, never more than it holds) and enforced when a case
is submitted; the table of places and the district's edit rows are driven
by what the toy registered (its categories and their labels)."""

import pytest
from django.db import connection
from django.http import QueryDict

from tests.concurrency import run_together
from tests.conftest import make_org, make_user
from tests.engine.toy.models import ToyCampaign, ToyCase
from tests.engine.toy.models import ToyState as S
from tests.engine.toy.quotas import check_submission
from workflows.audit import history_of
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import OrgKind, Quota
from workflows.quotas import selectors, services
from workflows.steps.decisions import decide, do_transition


@pytest.fixture
def toy_campaign(people):
    return ToyCampaign.objects.create(code="grants-2026", district=people.district)


@pytest.fixture
def unit2(people):
    """A second grassroots union under the town, with its submitter."""
    unit2 = make_org("甲二厂工会", "unit2", OrgKind.GRASSROOTS, people.town)
    return unit2, make_user("submitter2", (unit2, "submitter"))


def _submit(campaign, organisation, submitter, category="small", title="申请"):
    case = ToyCase.objects.create(
        title=title, organisation=organisation, created_by=submitter, campaign=campaign, category=category
    )
    return do_transition(case=case, actor=submitter, code="submit", check=check_submission)


def test_places_are_handed_down_and_enforced_at_submission(people, toy_campaign, unit2):
    unit2, submitter2 = unit2
    with pytest.raises(NotAllowed):
        services.quota_set(scope=toy_campaign, organisation=people.town, category="small", count=3,
                           actor=people.reviewer)
    with pytest.raises(RuleViolation):  # places go to intermediate unions only
        services.quota_set(scope=toy_campaign, organisation=people.unit, category="small", count=3,
                           actor=people.admin)
    services.quota_set(scope=toy_campaign, organisation=people.town, category="small", count=3, actor=people.admin)

    # The town shares 2 of its 3 places with the unit; 2 more would exceed what it holds.
    services.quota_share(scope=toy_campaign, organisation=people.unit, category="small", count=2,
                         actor=people.reviewer)
    with pytest.raises(RuleViolation) as refused:
        services.quota_share(scope=toy_campaign, organisation=unit2, category="small", count=2,
                             actor=people.reviewer)
    assert "最多还能分配给甲二厂工会 1 个" in refused.value.message
    # The district cannot take back places already shared out.
    with pytest.raises(RuleViolation):
        services.quota_set(scope=toy_campaign, organisation=people.town, category="small", count=1,
                           actor=people.admin)

    # The unit uses its share of 2; the third is refused and stays a draft.
    _submit(toy_campaign, people.unit, people.submitter, title="一")
    _submit(toy_campaign, people.unit, people.submitter, title="二")
    with pytest.raises(RuleViolation) as refused:
        _submit(toy_campaign, people.unit, people.submitter, title="三")
    assert "甲一厂工会" in refused.value.message and "“Small grant”" in refused.value.message
    assert ToyCase.objects.get(title="三").state == S.DRAFT
    # unit2 has no share: it draws on the one place not shared out, once.
    _submit(toy_campaign, unit2, submitter2, title="四")
    with pytest.raises(RuleViolation):
        _submit(toy_campaign, unit2, submitter2, title="五")
    # No places at all for the other category.
    with pytest.raises(RuleViolation) as refused:
        _submit(toy_campaign, unit2, submitter2, category="large", title="六")
    assert refused.value.message == "甲镇工会的“Large grant”名额已用完：共 0 个名额，已占用 0 个。"

    # A share cannot go below what the union already uses.
    with pytest.raises(RuleViolation):
        services.quota_share(scope=toy_campaign, organisation=people.unit, category="small", count=1,
                             actor=people.reviewer)
    # A rejected case gives its place back.
    decide(case=ToyCase.objects.get(title="一"), actor=people.reviewer, decision="reject", comment="不符合")
    _submit(toy_campaign, people.unit, people.submitter, title="七")

    assert services.places_used(toy_campaign, people.town, "small") == (3, 3)
    assert [e.action for e in history_of(toy_campaign)] == ["toy.quota.set", "toy.quota.shared"]


def test_table_and_edit_rows_follow_the_registration(people, toy_campaign):
    services.quota_set(scope=toy_campaign, organisation=people.town, category="large", count=2, actor=people.admin)
    _submit(toy_campaign, people.unit, people.submitter, category="large")

    rows = selectors.quota_table(toy_campaign, people.reviewer)
    assert [row["organisation"] for row in rows] == [people.town]
    assert [(c["kind"], c["label"], c["used"], c["places"]) for c in rows[0]["cells"]] == [
        ("small", "Small grant", 0, 0), ("large", "Large grant", 1, 2),
    ]

    rows = selectors.quota_edit_rows(toy_campaign)
    names = [cell["name"] for cell in rows[0]["cells"]]
    assert names == [f"quota-{people.town.pk}-small", f"quota-{people.town.pk}-large"]
    # A refused save changes nothing and keeps what was typed.
    posted = QueryDict(mutable=True)
    posted.update({names[0]: "4", names[1]: "x"})
    with pytest.raises(RuleViolation):
        services.save_places(scope=toy_campaign, rows=rows, posted=posted, actor=people.admin)
    assert not Quota.objects.filter(category="small").exists()
    assert [c["value"] for c in selectors.quota_edit_rows(toy_campaign, posted=posted)[0]["cells"]] == ["4", "x"]
    posted[names[1]] = "5"
    assert services.save_places(scope=toy_campaign, rows=rows, posted=posted, actor=people.admin) == 2
    assert {(q.category, q.count) for q in services.quotas_of(toy_campaign)} == {("small", 4), ("large", 5)}
    assert selectors.quota_tree(toy_campaign)[0][0].category_label in ("Small grant", "Large grant")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL: run with DATABASE_URL=postgres://…")
@pytest.mark.django_db(transaction=True)
def test_two_submissions_for_the_last_place_at_once(people, toy_campaign, unit2):
    """Two cases from two unions, each on its own connection, for the
    town's one place: the quota row's lock lets one through, the other is
    refused with the figures (without it both would count 0 used)."""
    unit2, submitter2 = unit2
    services.quota_set(scope=toy_campaign, organisation=people.town, category="small", count=1, actor=people.admin)
    drafts = {
        people.submitter: ToyCase.objects.create(title="甲", organisation=people.unit, created_by=people.submitter,
                                                 campaign=toy_campaign, category="small"),
        submitter2: ToyCase.objects.create(title="乙", organisation=unit2, created_by=submitter2,
                                           campaign=toy_campaign, category="small"),
    }
    outcomes = run_together(
        list(drafts), lambda: None,
        lambda actor, _seen: do_transition(case=ToyCase.objects.get(pk=drafts[actor].pk), actor=actor, code="submit",
                                           check=check_submission),
    )
    assert outcomes[1] == "won" and outcomes[0].startswith("RuleViolation("), outcomes
    assert ToyCase.objects.filter(state=S.SUBMITTED).count() == 1
