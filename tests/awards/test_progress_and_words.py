"""Issue 21, items 4 and 10 for the May Day award, as people read them: a
case under notice in the inbox says until when and leads to its public
notice; the submitter hears of every step, each kind switchable (in the
app too); the chair's confirmation reads 确认并上报 in the history; one
label per outcome (不予授予); a department signs off one way; the
certificates' filter names campaigns, not codes."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from workflows.steps.decisions import decide
from awards.mayday.declaration import MAYDAY
from awards.mayday.models import NominationState as S
from awards.mayday.notices import campaign_notice_open
from workflows.models import ChannelChoice, Notification
from workflows.steps.progress import progress_event

from .test_views import detail_url

pytestmark = pytest.mark.django_db


def _to_notice(tree, nomination):
    decide(decision="approve", case=nomination, actor=tree.chair)
    decide(decision="approve", case=nomination, actor=tree.reviewer_a)
    decide(decision="approve", case=nomination, actor=tree.reviewer_d)
    nomination.refresh_from_db()
    assert nomination.state == S.AWAITING_NOTICE


def _inbox_row(client, user, name):
    client.force_login(user)
    page = client.get(reverse("inbox")).content.decode()
    rows = [row for row in page.split("<tr") if name in row]
    assert len(rows) == 1, page
    return rows[0]


def test_a_case_under_notice_says_until_when_and_leads_to_its_notice(tree, make_nomination, client):
    n = make_nomination()
    _to_notice(tree, n)
    row = _inbox_row(client, tree.admin_d, "张三")
    # Awaiting a notice: the row leads to the preview that opens one.
    assert reverse("awards:notice_open", args=[n.campaign.code]) in row and "公示中" not in row

    notice = campaign_notice_open(campaign=n.campaign, actor=tree.admin_d, nominations=[n])
    row = _inbox_row(client, tree.admin_d, "张三")
    until = f"{notice.closes_on.month}月{notice.closes_on.day}日"
    assert f"公示中，至 {until}" in row
    assert f'href="{reverse("notice_detail", args=[notice.pk])}"' in row
    assert reverse("awards:notice_open", args=[n.campaign.code]) not in row
    # The link is the public notice, with the candidate on it.
    public = client.get(reverse("notice_detail", args=[notice.pk])).content.decode()
    assert "张三" in public and "0名" not in public


def _titles(user):
    with translation.override("zh-hans"):
        return [note.display_title for note in Notification.objects.filter(user=user).order_by("pk")]


def test_the_submitter_hears_of_every_step(tree, make_nomination, client, django_capture_on_commit_callbacks):
    n = make_nomination()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _to_notice(tree, n)
        campaign_notice_open(campaign=n.campaign, actor=tree.admin_d, nominations=[n])
    titles = _titles(tree.submitter)
    assert [t.split(" — ")[-1] for t in titles] == [
        "待乡镇街道工会/局工委审核",  # the chair confirmed
        "待区总工会审核",  # the intermediate union approved
        "待公示",  # the district approved
        "公示中",  # the notice opened
    ]
    assert all("张三" in t for t in titles)
    assert len([m for m in mail.outbox if tree.submitter.email in m.to]) == 4
    # On their notifications page.
    client.force_login(tree.submitter)
    page = client.get(reverse("notifications")).content.decode()
    assert "公示中" in page and "待区总工会审核" in page


def test_a_returned_case_is_told_to_the_submitter(tree, make_nomination):
    n = make_nomination()
    decide(decision="approve", case=n, actor=tree.chair)
    decide(decision="return", case=n, actor=tree.reviewer_a, comment="事迹材料不全")
    assert _titles(tree.submitter)[-1].endswith("已退回修改")


def test_each_kind_of_progress_is_switched_per_user_in_the_app_and_by_mail(
        tree, make_nomination, client, django_capture_on_commit_callbacks):
    client.force_login(tree.submitter)
    page = client.get(reverse("notification_channels")).content.decode()
    confirmed = progress_event(MAYDAY, S.CONFIRMED)
    # A row per kind of progress, and the in-app column.
    assert "<th>站内</th>" in page
    with translation.override("zh-hans"):
        process = str(MAYDAY.title)
    assert f"{process}：您的事项已进入“待乡镇街道工会/局工委审核”" in page
    assert f"{process}：您的事项已进入“公示中”" in page and f"{process}：您的事项已进入“已退回修改”" in page
    assert f'name="{confirmed}|inapp"' in page
    # A keyed reminder stays on in the app.
    assert re.search(r'name="workflows\.event\.deadline_reminder\|inapp" value="1"[^>]*checked[^>]*disabled', page)

    # Switch "confirmed" off in the app and by e-mail; keep the others.
    ticked = {name: "1" for name in re.findall(r'name="([^"]+\|(?:inapp|email))"[^>]*checked', page)}
    ticked.pop(f"{confirmed}|inapp")
    ticked.pop(f"{confirmed}|email")
    assert client.post(reverse("notification_channels"), ticked).status_code == 302
    assert ChannelChoice.objects.get(user=tree.submitter, event=confirmed, channel="inapp").enabled is False

    n = make_nomination()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(decision="approve", case=n, actor=tree.chair)
    assert not Notification.objects.filter(user=tree.submitter, event=confirmed).exists()
    assert not [m for m in mail.outbox if tree.submitter.email in m.to]
    decide(decision="approve", case=n, actor=tree.reviewer_a)  # the next kind still comes
    assert _titles(tree.submitter)[-1].endswith("待区总工会审核")


def test_in_app_off_still_mails(tree, make_nomination, django_capture_on_commit_callbacks):
    confirmed = progress_event(MAYDAY, S.CONFIRMED)
    ChannelChoice.objects.create(user=tree.submitter, event=confirmed, channel="inapp", enabled=False)
    n = make_nomination()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(decision="approve", case=n, actor=tree.chair)
    assert not Notification.objects.filter(user=tree.submitter).exists()
    sent = [m for m in mail.outbox if tree.submitter.email in m.to]
    assert len(sent) == 1 and "待乡镇街道工会/局工委审核" in sent[0].subject


def test_the_chairs_confirmation_reads_as_itself_in_the_history(tree, make_nomination, client):
    n = make_nomination()
    decide(decision="approve", case=n, actor=tree.chair)
    decide(decision="approve", case=n, actor=tree.reviewer_a)
    client.force_login(tree.submitter)
    page = client.get(detail_url(n)).content.decode()
    acts = re.findall(r'data-label="操作">([^<]*)</td>', page)
    # The chair's act is 确认并上报; the intermediate union's is an approval.
    assert acts.count("确认并上报") == 1 and acts[-1] != "确认并上报"


def test_one_label_for_not_awarded(tree, make_nomination, client, pass_notice):
    n = make_nomination()
    _to_notice(tree, n)
    pass_notice(n)
    decide(case=n, actor=tree.admin_d, decision="decline", comment="名额有限")
    client.force_login(tree.submitter)
    page = client.get(detail_url(n)).content.decode()
    assert re.search(r'<span class="badge not_awarded">不予授予</span>', page)
    assert "未获评" not in page
    acts = re.findall(r'data-label="操作">([^<]*)</td>', page)
    assert acts[-1] == "不予授予"


def test_a_department_signs_off_one_way(tree, departments, make_nomination, client):
    n = make_nomination()
    decide(decision="approve", case=n, actor=tree.chair)
    decide(decision="approve", case=n, actor=tree.reviewer_a)
    decide(decision="approve", case=n, actor=tree.reviewer_d)
    n.refresh_from_db()
    assert n.state == S.SIGNOFF
    client.force_login(departments["tax"])
    page = client.get(detail_url(n)).content.decode()
    assert reverse("awards:signoff", args=[n.pk]) not in page and "填写本部门意见" not in page
    assert page.count('name="decision" value="agree"') == 1


def test_the_certificate_filter_names_campaigns(tree, make_nomination, award, client):
    award(make_nomination())
    client.force_login(tree.admin_d)
    page = client.get(reverse("certificate_list")).content.decode()
    select = page[page.index('<select name="series">'):page.index("</select>", page.index('<select name="series">'))]
    assert '<option value="mayday-test">2024年度五一劳动奖评选</option>' in select
    assert ">mayday-test<" not in select
    page = client.get(reverse("certificate_list"), {"series": "mayday-test"}).content.decode()
    assert "打印2024年度五一劳动奖评选的全部有效证书" in page
