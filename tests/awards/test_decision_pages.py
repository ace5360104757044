"""The May Day pages as an office uses them: the inbox asks the decision's
question about recusal, buttons read as the declaration labels them (in
the reader's language), final decisions and notices ask for confirmation,
and notifications read in the reader's language."""

import datetime

from django.urls import reverse
from django.utils import translation

from awards.mayday import services
from workflows.steps.decisions import decide
from awards.mayday.declaration import MAYDAY
from awards.mayday.models import NominationState as S
from workflows.models import Notification, PublicNotice


def test_the_chair_is_not_recused_from_confirming_their_own_unit(tree, make_nomination, client):
    make_nomination()
    client.force_login(tree.chair)
    page = client.get("/inbox/")
    rows = [row for group in page.context["groups"] for row in group["rows"]]
    assert len(rows) == 1 and rows[0]["barred"] is None and rows[0]["bulk_value"]
    assert "回避" not in page.content.decode()


def test_the_submitter_revising_is_not_recused(tree, make_nomination, client):
    n = make_nomination()
    decide(decision="return", case=n, actor=tree.chair, comment="补充事迹")
    client.force_login(tree.submitter)
    rows = [row for group in client.get("/inbox/").context["groups"] for row in group["rows"]]
    assert [row["barred"] for row in rows] == [None]


def test_a_reviewer_of_the_nominating_unit_is_marked_and_refused_alike(tree, make_nomination, client):
    from awards.roles import Role
    from workflows.models import Membership

    n = make_nomination()
    decide(decision="approve", case=n, actor=tree.chair)
    Membership.objects.create(user=tree.reviewer_a2, organisation=tree.union_a1, role=Role.SUBMITTER)
    client.force_login(tree.reviewer_a2)
    rows = [row for group in client.get("/inbox/").context["groups"] for row in group["rows"]]
    assert rows[0]["barred"] and not rows[0]["bulk_value"]


def test_decision_buttons_read_as_declared_in_chinese(tree, make_nomination, client, pass_notice):
    n = make_nomination()
    for actor in (tree.chair, tree.reviewer_a, tree.reviewer_d):
        decide(decision="approve", case=n, actor=actor)
    pass_notice(n)
    client.force_login(tree.admin_d)
    page = client.get(n.get_absolute_url()).content.decode()
    assert 'value="award">授予</button>' in page
    assert 'value="decline">不予授予</button>' in page
    assert "奖项</button>" not in page
    # Every decision of every step has a Chinese label of its own.
    with translation.override("zh-hans"):
        for step in MAYDAY.steps:
            for decision in step.decisions:
                with translation.override("en"):
                    english = str(decision.label)
                assert str(decision.label) != english, (step.name, decision.code)


def test_a_final_decision_asks_for_confirmation(tree, make_nomination, client, pass_notice):
    n = make_nomination()
    for actor in (tree.chair, tree.reviewer_a, tree.reviewer_d):
        decide(decision="approve", case=n, actor=actor)
    pass_notice(n)
    client.force_login(tree.admin_d)
    first = client.post(n.get_absolute_url(), {"decision": "award", "version": n.version})
    assert first.status_code == 200 and "确认" in first.content.decode()
    n.refresh_from_db()
    assert n.state == S.DISTRICT_APPROVED
    second = client.post(n.get_absolute_url(), {"decision": "award", "version": n.version, "confirmed": "1"})
    assert second.status_code == 302
    n.refresh_from_db()
    assert n.state == S.AWARDED


def test_withdraw_asks_for_confirmation(tree, make_nomination, client):
    n = make_nomination()
    client.force_login(tree.submitter)
    client.post(n.get_absolute_url(), {"decision": "withdraw", "version": n.version})
    n.refresh_from_db()
    assert n.state == S.SUBMITTED
    client.post(n.get_absolute_url(), {"decision": "withdraw", "version": n.version, "confirmed": "1"})
    n.refresh_from_db()
    assert n.state == S.WITHDRAWN


def test_the_notice_task_leads_to_a_preview_and_a_second_notice_is_a_second_batch(tree, make_nomination, client):
    first, second = make_nomination(), make_nomination(nominee_name="王五", id_number="110101198503015678")
    for n in (first, second):
        for actor in (tree.chair, tree.reviewer_a, tree.reviewer_d):
            decide(decision="approve", case=n, actor=actor)
    client.force_login(tree.admin_d)
    inbox = client.get("/inbox/")
    urls = {row["url"] for group in inbox.context["groups"] for row in group["rows"]}
    preview_url = reverse("awards:notice_open", args=[first.campaign.code])
    assert urls == {preview_url}
    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert preview.context["closes_on"] > preview.context["opens_on"]
    assert "张三" in preview.content.decode() and "110101198503011234" not in preview.content.decode()
    # Nothing is published without the confirmation.
    client.post(preview_url, {})
    assert not PublicNotice.objects.exists()
    services_notice = client.post(preview_url, {"confirmed": "1"})
    assert services_notice.status_code == 302
    notice = PublicNotice.objects.get()
    assert notice.entries.count() == 2
    # The task now says until when the notice runs.
    rows = [row for group in client.get("/inbox/").context["groups"] for row in group["rows"]]
    # ("公示中，至 12月11日") and leads to the public notice, not the preview.
    until = f"公示中，至 {notice.closes_on.month}月{notice.closes_on.day}日"
    assert all(str(row["note"]) == until for row in rows)
    assert {row["url"] for row in rows} == {reverse("notice_detail", args=[notice.pk])}
    # Pressing again publishes nothing twice; a later batch is titled apart.
    client.post(preview_url, {"confirmed": "1"})
    assert PublicNotice.objects.count() == 1
    third = make_nomination(nominee_name="赵六", id_number="110101198503019999")
    for actor in (tree.chair, tree.reviewer_a, tree.reviewer_d):
        decide(decision="approve", case=third, actor=actor)
    client.post(preview_url, {"confirmed": "1"})
    titles = list(PublicNotice.objects.order_by("pk").values_list("title", flat=True))
    assert len(titles) == 2 and titles[0] != titles[1] and "第二批" in titles[1]


def test_a_notification_written_for_an_english_actor_reads_in_chinese(tree, make_nomination):
    n = make_nomination()
    with translation.override("en"):
        decide(decision="return", case=n, actor=tree.chair, comment="Please add the minutes")
    note = Notification.objects.filter(user=tree.submitter).latest("pk")
    with translation.override("zh-hans"):
        title, body = note.text
    assert "退回修改" in title and "张三" in title and "#" not in title
    assert "Please add the minutes" in body
    with translation.override("en"):
        assert "Returned for revision" in note.text[0]


def test_a_second_administrator_revokes_in_their_own_right(tree, make_nomination, award):
    from awards.roles import Role
    from tests.conftest import make_user
    from workflows.audit import history_of
    from workflows.documents.services import certificate_revoke

    certificate = award(make_nomination())
    deputy = make_user("admin_d2", (tree.district, Role.DISTRICT_ADMIN))
    # A substitute must hold the role there already, so it acts in its own right.
    certificate_revoke(certificate=certificate, actor=deputy, reason="材料不实")
    entry = history_of(certificate.subject).get(action="workflows.certificate.revoked")
    assert entry.actor == deputy and entry.on_behalf_of is None


def test_revising_a_returned_nomination_needs_its_revise_task(tree, make_nomination):
    from awards.roles import Role
    from tests.conftest import make_user
    from workflows.exceptions import NotAllowed
    from workflows.steps.assignment import task_reassign
    from workflows.steps.actors import open_tasks_of_step

    n = make_nomination()
    decide(decision="return", case=n, actor=tree.chair, comment="补充")
    colleague = make_user("submitter_a1_2", (tree.union_a1, Role.SUBMITTER))
    task = open_tasks_of_step(n, "revise").get()
    task_reassign(task=task, to_user=colleague, actor=tree.admin_d, reason="原填报人休假")
    n.deeds = "补充后的事迹"
    try:
        services.nomination_save_draft(nomination=n, actor=tree.submitter)
    except NotAllowed:
        pass
    else:
        raise AssertionError("the step was given to a colleague")
    services.nomination_save_draft(nomination=n, actor=colleague)
