"""Scoring by assigned inspectors, an optional step of a kind's route, on
the engine's scoring standards: the campaign uses a standard's version (in
use from then on), the district assigns the route's number of inspectors
of the district, each scores on their own task in the inbox (a bad score
comes back in Chinese with what was typed), the last one moves the case
on, and the case's page shows the scores side by side with the mean. An
inspector not assigned to the case reaches none of it (404). And the
plaque a campaign may end in: issued, verifiable at /verify/, stamped once
revoked."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from awards.kinds import scoring, services
from awards.kinds.endings import certificates_of
from awards.kinds.models import CampaignKind, KindCaseState as S, KindInspection
from awards.roles import Role
from tests.awards.kinds.conftest import PLAQUE, STANDARD, definition, hand_in
from tests.awards.kinds.test_kinds import editor_post
from tests.awards.kinds.test_endings import pdf_text
from tests.conftest import make_user
from workflows.audit import history_of
from workflows.documents.services import certificate_revoke
from workflows.exceptions import RuleViolation
from workflows.scoring.standards import standard_create, standard_revise
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db

@pytest.fixture
def inspectors(tree):
    return [make_user(f"inspector_{n}", (tree.district, Role.INSPECTOR)) for n in (1, 2, 3)]


@pytest.fixture
def standard(tree):
    return standard_create(district=tree.district, code="room-standard", name="示范点考核标准", data=STANDARD,
                           actor=tree.admin_d)


def _scoring_kind(tree, *, steps=("scoring",), certificate=None):
    data = definition(steps=steps)
    data["ends_in"] = {"certificate": certificate, "approved_list": True, "payment_list": False}
    return services.do_create_kind(district=tree.district, code="room", definition=data, actor=tree.admin_d)


def _assigning(tree, open_campaign, standard):
    campaign = open_campaign(_scoring_kind(tree), standard_version=standard)
    case = hand_in(campaign, organisation=tree.union_a1, submitter=tree.submitter)
    case = decide(case=case, actor=tree.reviewer_d, decision="approve")
    assert case.state == S.ASSIGNING
    return case


def _sheet(items, points, veto="no", action="submit"):
    post = {"action": action, "comment": "现场查看"}
    for item, value in zip([i for i in items if i.kind != "veto"], points):
        post[f"score_{item.pk}"] = value
    for item in items:
        if item.kind == "veto":
            post[f"veto_{item.pk}"] = veto
    return post


def test_two_assigned_inspectors_score_and_the_case_moves_on_with_the_mean(
        client, tree, open_campaign, standard, inspectors):
    case = _assigning(tree, open_campaign, standard)
    first, second, stranger = inspectors
    assign = reverse("kinds:case_assign", args=[case.pk])

    # The district administrator chooses among the district's inspectors;
    # one is not the route's two: refused in Chinese, the choice kept.
    client.force_login(tree.admin_d)
    page = client.get(assign).content.decode()
    assert all(f'value="{u.pk}"' in page for u in inspectors) and f'value="{tree.reviewer_d.pk}"' not in page
    with translation.override("zh-hans"):
        refused = client.post(assign, {"inspectors": [first.pk], "version": case.version},
                              HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 400 and "请选择2名考核人员" in refused.content.decode()
    ticked = re.findall(r'<input type="checkbox" name="inspectors" value="(\d+)"[^>]*checked', refused.content.decode())
    assert ticked == [str(first.pk)]
    assert not KindInspection.objects.exists()
    answer = client.post(assign, {"inspectors": [first.pk, second.pk], "version": case.version})
    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.state == S.SCORING
    assert sorted(case.inspections.values_list("inspector__username", flat=True)) == ["inspector_1", "inspector_2"]

    # Each assigned inspector finds the task in the inbox; the other one
    # reaches neither the sheet nor the case.
    score = reverse("kinds:case_score", args=[case.pk])
    client.force_login(first)
    assert case.name in client.get(reverse("inbox")).content.decode()
    client.force_login(stranger)
    assert case.name not in client.get(reverse("inbox")).content.decode()
    assert client.get(score).status_code == 404
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.post(score, {"action": "submit"}).status_code == 404

    # A score that is no number comes back in Chinese, what was typed kept,
    # nothing saved; one over the item's points is refused naming the item.
    items = scoring.items_of(case)
    client.force_login(first)
    with translation.override("zh-hans"):
        bad = client.post(score, _sheet(items, ["3十", "25", "20"]), HTTP_ACCEPT_LANGUAGE="zh-hans")
        page = bad.content.decode()
        assert bad.status_code == 400 and "请填写分数" in page and 'value="3十"' in page
        over = client.post(score, _sheet(items, ["45", "25", "20"]), HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert over.status_code == 400 and "1.1" in over.content.decode() and 'value="45"' in over.content.decode()
    assert not case.inspections.get(inspector=first).scores.exists()

    assert client.post(score, _sheet(items, ["35", "25", "20"])).status_code == 302
    case.refresh_from_db()
    assert case.state == S.SCORING  # the second inspector's scores are owed
    # Independence: the second inspector sees nothing of the first's.
    client.force_login(second)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "80.00" not in page and reverse("kinds:case_score", args=[case.pk]) in page
    assert client.post(score, _sheet(items, ["38", "27", "25.5"])).status_code == 302
    case.refresh_from_db()
    assert case.state == S.DECIDING  # no notice in this route: to the final decision
    assert [e.action for e in history_of(case)].count("kinds.case.scores_submitted") == 2

    # The district reads both sheets side by side with the mean.
    client.force_login(tree.reviewer_d)
    page = client.get(case.get_absolute_url()).content.decode()
    totals = sorted(case.inspections.values_list("total", flat=True))
    assert totals == [Decimal("80.00"), Decimal("90.50")]
    assert "80.00" in page and "90.50" in page and "85.25" in page
    # The final decision is taken on that mean.
    client.force_login(tree.admin_d)
    assert "85.25" in client.get(reverse("kinds:case_decide", args=[case.pk])).content.decode()
    # The sheet is closed once submitted.
    client.force_login(first)
    assert client.post(score, _sheet(items, ["1", "1", "1"])).status_code == 200
    assert case.inspections.get(inspector=first).total == Decimal("80.00")


def test_an_inspector_with_a_conflict_or_outside_the_district_is_not_assigned(
        tree, open_campaign, standard, inspectors):
    case = _assigning(tree, open_campaign, standard)
    own_unit = make_user("inspector_own", (tree.district, Role.INSPECTOR), (tree.union_a1, Role.SUBMITTER))
    with pytest.raises(RuleViolation, match="inspector_own"):
        scoring.do_assign_inspectors(case=case, actor=tree.admin_d, inspectors=[inspectors[0], own_unit])
    with pytest.raises(RuleViolation):
        scoring.do_assign_inspectors(case=case, actor=tree.admin_d, inspectors=[inspectors[0], tree.reviewer_d])
    case.refresh_from_db()
    assert case.state == S.ASSIGNING and not case.inspections.exists()


def test_a_campaign_with_scoring_uses_a_standard_version_which_revising_then_keeps(
        client, tree, open_campaign, standard):
    version = _scoring_kind(tree)
    with pytest.raises(RuleViolation):
        open_campaign(version)
    campaign = open_campaign(version, standard_version=standard)
    assert campaign.standard_version == standard and standard.is_in_use
    # The standard's page names the campaign using it.
    client.force_login(tree.admin_d)
    page = client.get(reverse("standard_detail", args=[standard.pk])).content.decode()
    assert campaign.title in page and campaign.get_absolute_url() in page
    newer = standard_revise(standard=standard.standard, data={**STANDARD, "qualified": 65}, actor=tree.admin_d)
    assert newer.pk != standard.pk and newer.number == 2
    campaign.refresh_from_db()
    assert campaign.standard_version == standard


def test_the_editor_switches_scoring_on_and_names_a_wrong_number_of_inspectors(client, tree):
    client.force_login(tree.admin_d)
    post = editor_post(**{"steps": ["scoring", "notice"], "scoring_inspectors": "", "certificate_layout": "plaque"})
    with translation.override("zh-hans"):
        refused = client.post(reverse("kinds:create"), post, HTTP_ACCEPT_LANGUAGE="zh-hans")
        page = refused.content.decode()
    assert refused.status_code == 400 and not CampaignKind.objects.exists()
    problems = page[page.index('role="alert"'):]
    assert "每案评分的考核人员人数" in problems and "每案须有1至5名考核人员评分" in problems
    assert client.post(reverse("kinds:create"), {**post, "scoring_inspectors": "2",
                                                 "deadline_scoring": "8"}).status_code == 302
    route = CampaignKind.objects.get().versions.get().definition["route"]
    assert route["steps"] == ["district_review", "scoring", "notice", "decision"]
    assert route["scoring"] == {"inspectors": 2} and route["deadline_days"]["scoring"] == 8
    definition_ = CampaignKind.objects.get().versions.get().definition
    assert definition_["ends_in"]["certificate"]["layout"] == "plaque"
    edit = client.get(reverse("kinds:edit", args=[CampaignKind.objects.get().pk])).content.decode()
    assert 'name="scoring_inspectors" value="2"' in edit and 'value="plaque" selected' in edit


def test_the_demo_reading_room_kind_with_scoring_and_a_plaque_is_sound():
    from awards.kinds.definition import problems_of_kind
    from demo.kinds import READING_ROOM

    assert problems_of_kind(READING_ROOM) == []
    wrong = {**READING_ROOM, "route": {**READING_ROOM["route"], "scoring": {"inspectors": 9, "x": 1}}}
    assert {place for place, _message in problems_of_kind(wrong)} == {"route.scoring"}
    off = {**READING_ROOM, "route": {**READING_ROOM["route"], "steps": ["district_review", "decision"]}}
    assert "route.scoring" in [place for place, _message in problems_of_kind(off)]


def test_a_plaque_is_issued_verifiable_and_stamped_once_revoked(client, tree, open_campaign):
    version = _scoring_kind(tree, steps=(), certificate=PLAQUE)
    campaign = open_campaign(version)
    case = hand_in(campaign, organisation=tree.union_a1, submitter=tree.submitter)
    case = decide(case=case, actor=tree.reviewer_d, decision="approve")
    case = decide(case=case, actor=tree.admin_d, decision="outcome_1")
    assert case.state == S.GRANTED
    [plaque] = certificates_of(case)
    assert plaque.layout == "plaque" and plaque.number == "SF2026-001"
    assert plaque.wording == f"{tree.union_a1.name}被命名为2026年度读书示范点。"

    verify = reverse("verify_certificate", args=[plaque.token])
    with translation.override("zh-hans"):
        page = client.get(verify, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "SF2026-001" in page and "读书示范点" in page and "有效" in page

    client.force_login(tree.admin_d)
    download = reverse("certificate_pdf", args=[plaque.pk])
    _reader, text = pdf_text(b"".join(client.get(download).streaming_content))
    assert "SF2026-001" in "".join(text.split()) and "已撤销" not in "".join(text.split())
    certificate_revoke(certificate=plaque, actor=tree.admin_d, reason="书屋挪作他用")
    _reader, text = pdf_text(b"".join(client.get(download).streaming_content))
    assert "已撤销" in "".join(text.split())
    client.logout()
    with translation.override("zh-hans"):
        page = client.get(verify, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已撤销" in page or "撤销" in page
