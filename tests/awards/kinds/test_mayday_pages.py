"""May Day's pages as its offices use them, on the May Day kinds (the
starters, tests/conftest.py's May Day fixtures; docs/mayday-as-kinds.md
§4.1, ported from tests/awards/test_views.py, test_access.py,
test_decision_pages.py and test_smaller_points.py). Where kinds do it
differently on purpose (§1 "decide"), the kinds behaviour is asserted and
the comment says so (docs/campaign-kinds.md, "May Day as campaign kinds")."""

import datetime

from django.urls import reverse
from django.utils import timezone, translation

from awards.kinds.models import KindCaseState as S
from tests.awards.kinds.test_campaigns_and_cases import _decide
from tests.awards.kinds.test_outcome_buttons import _button_labels
from workflows.audit import history_of
from workflows.models import AuditEntry, PublicNotice
from workflows.steps.decisions import decide


def _to_notice(tree, case):
    """Chair, town, district: the case then awaits its public notice."""
    in_a = case.organisation.is_within(tree.town_a)
    for decision, actor in (("confirm", tree.chair if in_a else tree.chair_b),
                            ("forward", tree.reviewer_a if in_a else tree.reviewer_b),
                            ("approve", tree.reviewer_d)):
        decide(decision=decision, case=case, actor=actor)
    case.refresh_from_db()
    assert case.state == S.AWAITING_NOTICE
    return case


def test_the_final_decision_reads_in_chinese_and_asks_for_confirmation(client, tree, make_mayday_case,
                                                                         pass_kind_notice):
    from awards.kinds.declaration import KIND_CASE_PROCESS

    case = make_mayday_case()
    pass_kind_notice(_to_notice(tree, case))
    assert case.state == S.DECIDING
    client.force_login(tree.admin_d)
    url = reverse("kinds:case_decide", args=[case.pk])
    assert _button_labels(client.get(url).content.decode()) == {"outcome_1": "授予", "outcome_2": "不予授予"}
    first = client.post(url, {"decision": "outcome_1", "version": case.version})
    assert first.status_code == 200 and "确定：授予" in first.content.decode()
    case.refresh_from_db()
    assert case.state == S.DECIDING
    assert client.post(url, {"decision": "outcome_1", "version": case.version, "confirmed": "1"}).status_code == 302
    case.refresh_from_db()
    assert case.state == S.GRANTED
    # Every decision of every step of the process has a Chinese label of its own.
    with translation.override("zh-hans"):
        for step in KIND_CASE_PROCESS.steps:
            for decision in step.decisions:
                with translation.override("en"):
                    english = str(decision.label)
                assert str(decision.label) != english, (step.name, decision.code)


def test_refusing_at_the_end_needs_a_reason(client, tree, make_mayday_case, pass_kind_notice):
    """May Day's "do not award" needs a reason; so does the starters' refusing outcome."""
    case = make_mayday_case()
    pass_kind_notice(_to_notice(tree, case))
    client.force_login(tree.admin_d)
    url = reverse("kinds:case_decide", args=[case.pk])
    answer = client.post(url, {"decision": "outcome_2", "version": case.version, "comment": "", "confirmed": "1"})
    assert answer.status_code == 400
    case.refresh_from_db()
    assert case.state == S.DECIDING
    case = _decide(client, tree.admin_d, case, "outcome_2", comment="事迹材料不足")
    assert case.state == S.NOT_GRANTED and history_of(case).last().comment == "事迹材料不足"


def test_the_chairs_rejection_needs_a_reason(client, tree, make_mayday_case):
    case = make_mayday_case()
    client.force_login(tree.chair)
    url = reverse("kinds:case_decide", args=[case.pk])
    answer = client.post(url, {"decision": "reject", "version": case.version, "comment": "", "confirmed": "1"})
    assert answer.status_code == 400
    case.refresh_from_db()
    assert case.state == S.CONFIRMING
    case = _decide(client, tree.chair, case, "reject", comment="事迹不实")
    assert case.state == S.REJECTED and history_of(case).last().comment == "事迹不实"


def test_a_step_by_the_wrong_role_or_on_a_stale_page_changes_nothing(client, tree, make_mayday_case):
    case = make_mayday_case()
    url = reverse("kinds:case_decide", args=[case.pk])
    before = AuditEntry.objects.count()
    for user in (tree.reviewer_a, tree.submitter):
        client.force_login(user)
        answer = client.post(url, {"decision": "confirm", "version": case.version, "confirmed": "1"})
        assert answer.status_code in (403, 404), user
    assert AuditEntry.objects.count() == before
    seen = case.version
    case = _decide(client, tree.chair, case, "confirm")
    assert case.state == S.INTERMEDIATE
    client.force_login(tree.reviewer_a)
    answer = client.post(url, {"decision": "return", "version": seen, "comment": "补充", "confirmed": "1"})
    assert answer.status_code == 409
    case.refresh_from_db()
    assert case.state == S.INTERMEDIATE


def test_the_returned_case_is_revised_and_its_page_shows_both_rounds(client, tree, make_mayday_case):
    case = make_mayday_case()
    first_deeds = case.answers["deeds"]
    case = _decide(client, tree.chair, case, "confirm")
    case = _decide(client, tree.reviewer_a, case, "return", comment="请补充事迹")
    assert case.state == S.RETURNED
    client.force_login(tree.submitter)
    url = reverse("kinds:case_revise", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200 and "请补充事迹" in page.content.decode()
    post = {f"answers-{key}": value for key, value in case.answers.items() if not isinstance(value, (list, dict))}
    post["answers-deeds"] = "补充后的事迹：带徒二十人。"
    answer = client.post(url, {**post, "version": case.version, "comment": "已补充事迹"})
    assert answer.status_code == 302, answer.content.decode()[:1500]
    case.refresh_from_db()
    assert case.state == S.CONFIRMING and case.round == 2
    assert case.answers["deeds"] == "补充后的事迹：带徒二十人。"
    client.force_login(tree.reviewer_a)
    shown = client.get(case.get_absolute_url()).content.decode()
    assert "补充后的事迹：带徒二十人。" in shown and first_deeds in shown and "请补充事迹" in shown


def test_withdrawing_asks_for_confirmation(client, tree, make_mayday_case):
    """Every final action asks once more, without JavaScript: the case
    page's button leads to the engine's confirmation page, whose post
    (`confirmed`) withdraws."""
    case = make_mayday_case()
    client.force_login(tree.submitter)
    url = reverse("kinds:case_withdraw", args=[case.pk])
    assert f'action="{url}"' in client.get(case.get_absolute_url()).content.decode()
    page = client.post(url, {"version": case.version})
    assert page.status_code == 200
    text = page.content.decode()
    assert "撤回该申报？" in text and f"{case.name} 的申报将被撤回" in text and 'name="confirmed" value="1"' in text
    case.refresh_from_db()
    assert case.state == S.CONFIRMING
    assert not AuditEntry.objects.filter(action="kinds.case.withdrawn").exists()
    # Whoever may not withdraw it (the chair of its union) is refused at
    # once, with nothing to confirm, confirmed or not.
    client.force_login(tree.chair)
    for post in ({"version": case.version}, {"version": case.version, "confirmed": "1"}):
        assert "撤回该申报？" not in client.post(url, post, follow=True).content.decode()
        case.refresh_from_db()
        assert case.state == S.CONFIRMING
    client.force_login(tree.submitter)
    assert client.post(url, {"version": case.version, "confirmed": "1"}).status_code == 302
    case.refresh_from_db()
    assert case.state == S.WITHDRAWN
    # Once withdrawn, the button is gone and a post is refused at once.
    assert client.post(url, {"version": case.version}).status_code == 302


def test_the_notice_task_leads_to_a_preview_and_a_second_notice_is_a_second_batch(client, tree,
                                                                                 make_mayday_case):
    first, second = _to_notice(tree, make_mayday_case()), _to_notice(tree, make_mayday_case())
    client.force_login(tree.admin_d)
    rows = [row for group in client.get("/inbox/").context["groups"] for row in group["rows"]]
    preview_url = reverse("kinds:campaign_notice", args=[first.campaign_id])
    assert {row["url"] for row in rows} == {preview_url}
    preview = client.get(preview_url)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert first.name in text and second.name in text and first.answers["id_number"] not in text
    client.post(preview_url, {})  # nothing is published without the confirmation
    assert not PublicNotice.objects.filter(entries__isnull=False).exists()
    assert client.post(preview_url, {"confirmed": "1"}).status_code == 302
    notice = PublicNotice.objects.get()
    assert notice.entries.count() == 2
    rows = [row for group in client.get("/inbox/").context["groups"] for row in group["rows"]]
    until = f"公示中，至 {notice.closes_on.month}月{notice.closes_on.day}日"
    assert rows and all(str(row["note"]) == until for row in rows)
    assert {row["url"] for row in rows} == {reverse("notice_detail", args=[notice.pk])}
    client.post(preview_url, {"confirmed": "1"})  # pressing again publishes nothing twice
    assert PublicNotice.objects.count() == 1
    _to_notice(tree, make_mayday_case())
    client.post(preview_url, {"confirmed": "1"})
    titles = list(PublicNotice.objects.order_by("pk").values_list("title", flat=True))
    assert len(titles) == 2 and titles[0] != titles[1] and "第二批" in titles[1]


def test_the_other_branch_sees_its_own_cases_and_not_ours(client, tree, make_mayday_case):
    ours = make_mayday_case(name="甲方候选人")
    theirs = make_mayday_case(org=tree.union_b1, name="乙方候选人")
    client.force_login(tree.reviewer_b)
    page = client.get(reverse("kinds:case_list")).content.decode()
    assert "乙方候选人" in page and "甲方候选人" not in page
    assert client.get(theirs.get_absolute_url()).status_code == 200
    assert client.get(ours.get_absolute_url()).status_code == 404
    # Filtering by the other branch's union does not reveal it either.
    page = client.get(reverse("kinds:case_list"), {"organisation": tree.union_a1.pk}).content.decode()
    assert "甲方候选人" not in page


def test_the_list_leads_to_a_new_case_of_each_award(client, tree, mayday_campaign):
    client.force_login(tree.submitter)
    page = client.get(reverse("kinds:case_list")).content.decode()
    apply = reverse("kinds:case_new", args=[mayday_campaign.pk])
    for kind in ("mayday-unit", "mayday-individual", "mayday-team"):
        assert f"{apply}?kind={kind}" in page, kind
    assert "申报：" + mayday_campaign.offered_versions[1].title in page
    # Who hands in nowhere (a reviewer) has no such link.
    client.force_login(tree.reviewer_d)
    assert apply not in client.get(reverse("kinds:case_list")).content.decode()


def test_the_hand_in_links_leave_closed_campaigns_out_and_cost_the_same_whatever_their_number(
        client, tree, open_mayday):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from awards.kinds.models import KindCampaign

    client.force_login(tree.submitter)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("kinds:case_list"))
        assert page.status_code == 200
        return len(queries), page.content.decode()

    first = open_mayday("mayday-first")
    client.get(reverse("kinds:case_list"))  # caches warmed
    few, _page = cost()
    second, closed = open_mayday("mayday-second", year=2025), open_mayday("mayday-closed", year=2023)
    KindCampaign.objects.filter(pk=closed.pk).update(deadline=timezone.now() - datetime.timedelta(days=1))
    queries, page = cost()
    assert queries == few
    for campaign in (first, second):
        assert f'{reverse("kinds:case_new", args=[campaign.pk])}?kind=mayday-team' in page
    assert reverse("kinds:case_new", args=[closed.pk]) not in page


def test_the_old_certificate_address_of_a_case_not_granted_is_a_404(client, tree, make_mayday_case):
    """After the switch: a case carried from a nomination, not granted, has
    no certificate at its old address (as before the switch)."""
    from django.contrib.contenttypes.models import ContentType

    from awards.kinds.models import KindCase

    case = make_mayday_case()
    nomination, _ = ContentType.objects.get_or_create(app_label="awards", model="nomination")
    KindCase.objects.filter(pk=case.pk).update(carried_from_type=nomination, carried_from_id=4242)
    client.force_login(tree.submitter)
    assert client.get("/awards/nominations/4242/").status_code == 301
    assert client.get("/awards/nominations/4242/certificate/").status_code == 404


def test_the_open_step_names_the_organisation_and_the_role_apart(client, tree, make_mayday_case):
    case = _decide(client, tree.chair, make_mayday_case(), "confirm")
    client.force_login(tree.reviewer_a)
    assert f"{tree.town_a.name} · 审核人" in client.get(case.get_absolute_url()).content.decode()
