"""The optional steps of a kind's route beyond review: the places handed
down per campaign (enforced at submission) and the departments' sign-offs
(any refusal stops the case, all agreeing moves it on)."""

import pytest
from django.urls import reverse

from awards.kinds.cases import do_submit_case
from awards.kinds.models import KindCaseState as S
from tests.awards.kinds.test_campaigns_and_cases import _decide
from workflows.audit import history_of
from workflows.exceptions import RuleViolation
from workflows.models import Quota
from workflows.quotas.services import quota_share

pytestmark = pytest.mark.django_db


def _places(client, tree, campaign, **counts):
    """The district administrator sets places on the campaign's quota page."""
    client.force_login(tree.admin_d)
    url = reverse("kinds:campaign_quotas", args=[campaign.pk])
    page = client.get(url)
    assert page.status_code == 200
    code = campaign.offered_versions[0].kind.code
    post = {"action": "quotas"}
    for town in (tree.town_a, tree.town_b):
        post[f"quota-{town.pk}-{code}"] = str(counts.get(town.code.replace("-", "_"), 0))
    assert client.post(url, post).status_code == 302


def test_a_campaign_without_places_is_not_limited(tree, make_kind, open_campaign, make_case):
    campaign = open_campaign(make_kind(steps=()))
    cases = [make_case(campaign) for _ in range(3)]
    assert all(case.state == S.DISTRICT for case in cases)


def test_places_set_on_the_quota_page_are_enforced_at_submission(client, tree, make_kind, open_campaign,
                                                                 make_case):
    campaign = open_campaign(make_kind(steps=()))
    _places(client, tree, campaign, town_a=1)
    quota = Quota.objects.get(organisation=tree.town_a)
    assert quota.count == 1 and quota.category == campaign.offered_versions[0].kind.code
    assert [e.action for e in history_of(campaign)].count("kinds.quota.set") == 1

    first = make_case(campaign)
    assert first.state == S.DISTRICT
    draft = make_case(campaign, submit=False)
    with pytest.raises(RuleViolation, match=tree.town_a.name):
        do_submit_case(case=draft, actor=tree.submitter)
    draft.refresh_from_db()
    assert draft.state == S.DRAFT
    # Town B was given no place: its union is refused too.
    with pytest.raises(RuleViolation):
        make_case(campaign, organisation=tree.union_b1, submitter=tree.submitter_b)
    # A refused case frees its place.
    _decide(client, tree.reviewer_d, first, "reject", comment="材料不足")
    do_submit_case(case=draft, actor=tree.submitter)
    draft.refresh_from_db()
    assert draft.state == S.DISTRICT


def test_places_shared_with_a_grassroots_union_bind_it(client, tree, make_kind, open_campaign, make_case):
    campaign = open_campaign(make_kind(steps=()))
    _places(client, tree, campaign, town_a=2)
    quota_share(scope=campaign, organisation=tree.union_a2, category=campaign.offered_versions[0].kind.code, count=2,
                actor=tree.reviewer_a)
    # Both places went to union A2: union A1 has none left.
    with pytest.raises(RuleViolation):
        make_case(campaign)


def test_the_quota_page_is_the_district_administrators(client, tree, make_kind, open_campaign):
    campaign = open_campaign(make_kind(steps=()))
    for user in (tree.reviewer_d, tree.submitter, tree.reviewer_a):
        client.force_login(user)
        assert client.get(reverse("kinds:campaign_quotas", args=[campaign.pk])).status_code == 404


@pytest.fixture
def signed_case(tree, departments, make_kind, open_campaign, make_case, client):
    """A case of a version with sign-offs by tax and safety, approved by the
    district: awaiting the two departments."""
    def make(*, notice=False):
        steps = ("signoffs", "notice") if notice else ("signoffs",)
        campaign = open_campaign(make_kind(steps=steps, signoffs=["dept-tax", "dept-safety"]))
        case = make_case(campaign)
        return _decide(client, tree.reviewer_d, case, "approve")
    return make


def test_a_version_with_sign_offs_opens_and_asks_each_department(tree, departments, signed_case):
    from workflows.steps.tasks import open_tasks

    case = signed_case()
    assert case.state == S.SIGNOFFS
    assert len(list(open_tasks(case))) == 2


def _sign(client, officer, case, agreed, comment=""):
    """A department's answer on its sign-off page (where the engine's
    decision page sends its officers: awards/kinds/signoffs.py)."""
    client.force_login(officer)
    answer = client.post(reverse("kinds:case_signoff", args=[case.pk]),
                         {"agreed": "1" if agreed else "0", "comment": comment})
    assert answer.status_code == 302, answer.status_code
    case.refresh_from_db()
    return case


def test_a_refusal_stops_the_case_naming_the_department(client, tree, departments, signed_case):
    case = signed_case()
    case = _sign(client, departments["tax"], case, False, comment="存在欠税")
    assert case.state == S.NOT_GRANTED
    entry = [e for e in history_of(case) if e.action == "kinds.case.signoff_refused"][-1]
    assert entry.organisation.code == "dept-tax" and entry.comment == "存在欠税"
    # The other department has nothing left to decide.
    client.force_login(departments["safety"])
    page = client.get(reverse("kinds:case_decide", args=[case.pk]))
    assert 'value="agree"' not in page.content.decode()


def test_all_sign_offs_move_the_case_on(client, tree, departments, signed_case):
    case = signed_case()
    case = _sign(client, departments["tax"], case, True)
    assert case.state == S.SIGNOFFS
    case = _sign(client, departments["safety"], case, True)
    assert case.state == S.DECIDING
    with_notice = _sign(client, departments["safety"], _sign(client, departments["tax"],
                                                             signed_case(notice=True), True), True)
    assert with_notice.state == S.AWAITING_NOTICE


def test_a_department_not_chosen_is_not_asked(client, tree, departments, signed_case):
    case = signed_case()
    client.force_login(departments["audit"])
    page = client.get(reverse("kinds:case_decide", args=[case.pk]))
    assert page.status_code in (403, 404) or 'value="agree"' not in page.content.decode()


def test_a_returned_case_is_revised_and_handed_in_again_keeping_the_old_round(client, tree, make_kind,
                                                                             open_campaign, make_case):
    from tests.awards.kinds.conftest import answers_post

    campaign = open_campaign(make_kind(steps=("intermediate_review",)))
    case = make_case(campaign)
    assert case.state == S.INTERMEDIATE and case.round == 1
    first_deeds = case.answers["deeds"]
    case = _decide(client, tree.reviewer_a, case, "return", comment="请补充近三年事迹")
    assert case.state == S.RETURNED

    client.force_login(tree.submitter)
    page = client.get(reverse("kinds:case_revise", args=[case.pk]))
    assert page.status_code == 200 and "请补充近三年事迹" in page.content.decode()
    post = {k: v for k, v in answers_post("候选人1", 1).items() if k.startswith("answers-")}
    post["answers-deeds"] = "补充：2024年获评市级先进。"
    answer = client.post(reverse("kinds:case_revise", args=[case.pk]), {**post, "version": case.version})
    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.state == S.INTERMEDIATE and case.round == 2
    assert case.answers["deeds"] == "补充：2024年获评市级先进。"
    [old] = case.rounds.all()
    assert old.round == 1 and old.answers["deeds"] == first_deeds
    entry = [e for e in history_of(case) if e.action == "kinds.case.resubmitted"][-1]
    assert entry.decision == "resubmit" and entry.actor == tree.submitter
    # The case's page shows the round before.
    client.force_login(tree.reviewer_a)
    assert first_deeds in client.get(case.get_absolute_url()).content.decode()


def test_only_the_union_revises_a_returned_case(client, tree, make_kind, open_campaign, make_case):
    campaign = open_campaign(make_kind(steps=()))
    case = _decide(client, tree.reviewer_d, make_case(campaign), "return", comment="请补充")
    for user in (tree.reviewer_d, tree.submitter_b):
        client.force_login(user)
        assert client.get(reverse("kinds:case_revise", args=[case.pk])).status_code == 404
    # The district's reviewer is sent to the union's form, which is not theirs.
    client.force_login(tree.submitter)
    assert client.get(reverse("kinds:case_decide", args=[case.pk]))["Location"] == \
        reverse("kinds:case_revise", args=[case.pk])


def test_the_union_withdraws_before_the_district_decides(client, tree, make_kind, open_campaign, make_case):
    campaign = open_campaign(make_kind(steps=()))
    _places(client, tree, campaign, town_a=1)
    case = make_case(campaign)
    client.force_login(tree.submitter)
    answer = client.post(reverse("kinds:case_withdraw", args=[case.pk]), {"version": case.version, "confirmed": "1"})
    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.state == S.WITHDRAWN
    assert [e.action for e in history_of(case)][-1] == "kinds.case.withdrawn"
    # Its place is free again.
    assert make_case(campaign).state == S.DISTRICT


def test_a_decided_case_cannot_be_withdrawn(client, tree, make_kind, open_campaign, make_case):
    campaign = open_campaign(make_kind(steps=()))
    case = _decide(client, tree.reviewer_d, make_case(campaign), "approve")
    assert case.state == S.DECIDING
    client.force_login(tree.submitter)
    client.post(reverse("kinds:case_withdraw", args=[case.pk]), {"version": case.version, "confirmed": "1"})
    case.refresh_from_db()
    assert case.state == S.DECIDING
    # Another union's submitter does not find it.
    client.force_login(tree.submitter_b)
    assert client.post(reverse("kinds:case_withdraw", args=[case.pk]),
                       {"version": case.version, "confirmed": "1"}).status_code == 404
