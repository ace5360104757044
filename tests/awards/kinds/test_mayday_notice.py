"""May Day's notice and words on its three kinds (ported from
tests/awards/test_progress_and_words.py and the May Day part of
tests/workflows/test_notices.py): a case under notice in the inbox says
until when and leads to its public notice; the union hears of every step,
each switchable per channel; the chair's confirmation reads as itself in
the history; one label for a case not granted; a department signs off one
way; the certificates' filter names the campaign by its title. The notice
publishes the public fields only, the preview reads as the public page,
the printed notice follows its notice and its print picks the open notice,
else the latest."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from awards.kinds import notice_print
from awards.kinds.declaration import KIND_CASE_PROCESS
from awards.kinds.models import KindCaseState as S
from awards.kinds.notices import do_publish_notice
from tests.awards.kinds.test_mayday_rules import review_up
from tests.workflows.test_documents import pdf_text
from workflows.documents import rendering
from workflows.models import ChannelChoice, Notification
from workflows.notices.services import close_notice, entry_of, lodge_objection, record_finding
from workflows.steps.decisions import decide
from workflows.steps.progress import progress_event

pytestmark = pytest.mark.django_db


def _inbox_row(client, user, name):
    client.force_login(user)
    page = client.get(reverse("inbox")).content.decode()
    rows = [row for row in page.split("<tr") if name in row]
    assert len(rows) == 1, page
    return rows[0]


def _titles(user):
    with translation.override("zh-hans"):
        return [note.display_title for note in Notification.objects.filter(user=user).order_by("pk")]


def _acts(page):
    return re.findall(r'data-label="操作">([^<]*)</td>', page)


# Progress and words ------------------------------------------------------------------

def test_a_case_under_notice_says_until_when_and_leads_to_its_notice(tree, make_mayday_case, client):
    case = review_up(tree, make_mayday_case())
    assert case.state == S.AWAITING_NOTICE
    preview = reverse("kinds:campaign_notice", args=[case.campaign_id])
    row = _inbox_row(client, tree.admin_d, case.name)
    # Awaiting a notice: the row leads to the preview that publishes one.
    assert preview in row and "公示中" not in row

    notice = do_publish_notice(campaign=case.campaign, actor=tree.admin_d, cases=[case])
    row = _inbox_row(client, tree.admin_d, case.name)
    until = f"{notice.closes_on.month}月{notice.closes_on.day}日"
    assert f"公示中，至 {until}" in row
    assert f'href="{reverse("notice_detail", args=[notice.pk])}"' in row and preview not in row
    # The link is the public notice, with the candidate on it.
    public = client.get(reverse("notice_detail", args=[notice.pk])).content.decode()
    assert case.name in public and "0名" not in public


def test_the_union_hears_of_every_step(tree, make_mayday_case, client, django_capture_on_commit_callbacks):
    case = make_mayday_case()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_up(tree, case)
        do_publish_notice(campaign=case.campaign, actor=tree.admin_d, cases=[case])
    titles = _titles(tree.submitter)
    assert [t.split(" — ")[-1] for t in titles] == [
        "中间层级工会审核中",  # the chair confirmed
        "区总工会审核中",  # the town forwarded
        "待公示",  # the district approved
        "公示中",  # the notice opened
    ]
    assert all(case.name in t for t in titles)
    assert len([m for m in mail.outbox if tree.submitter.email in m.to]) == 4
    client.force_login(tree.submitter)
    page = client.get(reverse("notifications")).content.decode()
    assert "公示中" in page and "区总工会审核中" in page


def test_a_returned_case_is_told_to_the_union(tree, make_mayday_case):
    case = make_mayday_case()
    decide(decision="confirm", case=case, actor=tree.chair)
    decide(decision="return", case=case, actor=tree.reviewer_a, comment="事迹材料不全")
    assert _titles(tree.submitter)[-1].split(" — ")[-1] == "已退回工会修改"


def test_each_kind_of_progress_is_switched_per_user_in_the_app_and_by_mail(
        tree, make_mayday_case, client, django_capture_on_commit_callbacks):
    client.force_login(tree.submitter)
    page = client.get(reverse("notification_channels")).content.decode()
    confirmed = progress_event(KIND_CASE_PROCESS, S.INTERMEDIATE)
    # A row per kind of progress, and the in-app column.
    assert "<th>站内</th>" in page
    with translation.override("zh-hans"):
        process = str(KIND_CASE_PROCESS.title)
    assert f"{process}：您的事项已进入“中间层级工会审核中”" in page
    assert f"{process}：您的事项已进入“公示中”" in page
    assert f'name="{confirmed}|inapp"' in page
    # A keyed reminder stays on in the app.
    assert re.search(r'name="workflows\.event\.deadline_reminder\|inapp" value="1"[^>]*checked[^>]*disabled', page)

    # Switch "under the town's review" off in the app and by e-mail; keep the others.
    ticked = {name: "1" for name in re.findall(r'name="([^"]+\|(?:inapp|email))"[^>]*checked', page)}
    ticked.pop(f"{confirmed}|inapp")
    ticked.pop(f"{confirmed}|email")
    assert client.post(reverse("notification_channels"), ticked).status_code == 302
    assert ChannelChoice.objects.get(user=tree.submitter, event=confirmed, channel="inapp").enabled is False

    case = make_mayday_case()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(decision="confirm", case=case, actor=tree.chair)
    assert not Notification.objects.filter(user=tree.submitter, event=confirmed).exists()
    assert not [m for m in mail.outbox if tree.submitter.email in m.to]
    decide(decision="forward", case=case, actor=tree.reviewer_a)  # the next kind still comes
    assert _titles(tree.submitter)[-1].endswith("区总工会审核中")


def test_in_app_off_still_mails(tree, make_mayday_case, django_capture_on_commit_callbacks):
    confirmed = progress_event(KIND_CASE_PROCESS, S.INTERMEDIATE)
    ChannelChoice.objects.create(user=tree.submitter, event=confirmed, channel="inapp", enabled=False)
    case = make_mayday_case()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(decision="confirm", case=case, actor=tree.chair)
    assert not Notification.objects.filter(user=tree.submitter).exists()
    sent = [m for m in mail.outbox if tree.submitter.email in m.to]
    assert len(sent) == 1 and "中间层级工会审核中" in sent[0].subject


def test_the_chairs_confirmation_reads_as_itself_in_the_history(tree, make_mayday_case, client):
    case = make_mayday_case()
    decide(decision="confirm", case=case, actor=tree.chair)
    decide(decision="forward", case=case, actor=tree.reviewer_a)
    client.force_login(tree.submitter)
    acts = _acts(client.get(case.get_absolute_url()).content.decode())
    # The chair's act is their confirmation (May Day said 确认并上报); the
    # intermediate union's reads as its recommendation.
    assert acts.count("本单位工会主席确认") == 1 and acts[-1] == "推荐至区总工会"


def test_one_label_for_not_granted(tree, make_mayday_case, client, pass_kind_notice):
    """The badge and the history say the same words. Kinds: 终审未通过 (the
    state's label) in both; May Day said 不予授予, which on kinds is the
    button's (the version's outcome label)."""
    case = review_up(tree, make_mayday_case())
    pass_kind_notice(case)
    decide(case=case, actor=tree.admin_d, decision="outcome_2", comment="名额有限")
    client.force_login(tree.submitter)
    page = client.get(case.get_absolute_url()).content.decode()
    assert re.search(r'<span class="badge not_granted">终审未通过</span>', page)
    assert "未获评" not in page
    assert _acts(page)[-1] == "终审未通过"


def test_a_department_signs_off_one_way(tree, departments, open_mayday, make_mayday_case, client):
    case = review_up(tree, make_mayday_case(campaign=open_mayday("mayday-signed", signoffs=True)))
    assert case.state == S.SIGNOFFS
    client.force_login(departments["tax"])
    page = client.get(case.get_absolute_url()).content.decode()
    # One button, to the sign-off page; no decision form on the case page.
    decide_url = reverse("kinds:case_decide", args=[case.pk])
    assert page.count(f'href="{decide_url}"') == 1 and 'name="decision"' not in page
    assert client.get(decide_url)["Location"] == reverse("kinds:case_signoff", args=[case.pk])


def test_the_certificate_filter_names_campaigns_by_their_title(tree, make_mayday_case, grant_case, client):
    grant_case(make_mayday_case())
    client.force_login(tree.admin_d)
    page = client.get(reverse("certificate_list")).content.decode()
    select = page[page.index('<select name="series">'):page.index("</select>", page.index('<select name="series">'))]
    assert '<option value="mayday-test">2024年度五一劳动奖评选</option>' in select
    assert ">mayday-test<" not in select
    page = client.get(reverse("certificate_list"), {"series": "mayday-test"}).content.decode()
    assert "打印2024年度五一劳动奖评选的全部有效证书" in page


# What the notice publishes -----------------------------------------------------------

def test_only_the_public_fields_are_published(tree, mayday_campaign, make_mayday_case):
    """Kinds: the version marks the public fields (May Day: the campaign
    chose them, the engine dropping identity, contact and birth)."""
    case = review_up(tree, make_mayday_case(contact_phone="13812345678"))
    do_publish_notice(campaign=mayday_campaign, actor=tree.admin_d)
    case.refresh_from_db()
    assert entry_of(case).published == {
        "organisation": "甲一机械厂工会", "name": case.name, "评选类别": "五一劳动奖章", "性别": "男",
        "工作单位": "甲一机械厂", "职务": "车间主任", "职称/技术等级": "高级技师", "事迹摘要": "技术革新能手。"}
    text = str(entry_of(case).published)
    for private in (case.answers["id_number"], "13812345678", "1985", "汉族"):
        assert private not in text


def test_the_preview_shows_choices_as_the_public_page_will(tree, mayday_campaign, make_mayday_case, client):
    """The district checks what it is about to publish: a gender reads 男,
    as on the public page, not the stored code M."""
    case = review_up(tree, make_mayday_case(gender="M"))
    url = reverse("kinds:campaign_notice", args=[mayday_campaign.pk])
    client.force_login(tree.admin_d)
    preview = client.get(url)
    published = dict((str(label), value) for label, value in preview.context["rows"][0])
    assert published["性别"] == "男" and published["评选类别"] == "五一劳动奖章"
    assert '<td data-label="性别">男</td>' in preview.content.decode()
    client.post(url, {"confirmed": "1"})
    case.refresh_from_db()
    public = client.get(reverse("notice_detail", args=[entry_of(case).notice_id])).content.decode()
    assert "<dt>性别</dt><dd>男</dd>" in public


# The printed notice ------------------------------------------------------------------

def test_the_printed_notice_follows_its_public_notice(tree, mayday_campaign, make_mayday_case):
    objected = review_up(tree, make_mayday_case(contact_phone="13812345678"))
    other = review_up(tree, make_mayday_case())
    notice = do_publish_notice(campaign=mayday_campaign, actor=tree.admin_d, opened_on=datetime.date(2025, 9, 26))
    assert notice.closes_on == datetime.date(2025, 10, 9)  # 5 working days over National Day
    objected.refresh_from_db()
    objection = lodge_objection(entry=entry_of(objected), objector_kind="person", person_name="王五",
                                contact="13900000000", text="事迹不实。", today=datetime.date(2025, 9, 29))
    record_finding(objection=objection, actor=tree.admin_d, upheld=True, finding="属实")

    _reader, text = pdf_text(rendering.html_to_pdf(notice_print.notice_document_html(notice)))
    text = text.replace("\n", "").replace(" ", "")
    assert notice.title in text
    assert "5个工作日" in text and "2025年9月26日至2025年10月9日" in text
    assert other.name in text and "甲一机械厂" in text and "技术革新能手" in text and "男" in text
    assert objected.name not in text  # rejected on an upheld objection: off the notice
    assert "民族" not in text and "汉族" not in text  # ethnicity is not published
    for private in (other.answers["id_number"], "1985", "13812345678"):
        assert private not in text
    other.refresh_from_db()
    assert other.state == S.IN_NOTICE


def test_the_print_picks_the_open_notice_or_the_latest(tree, mayday_campaign, make_mayday_case, client,
                                                       monkeypatch):
    printed = []
    monkeypatch.setattr(notice_print, "notice_document_html",
                        lambda notice: printed.append(notice) or f"<p>{notice.pk}</p>")
    monkeypatch.setattr(rendering, "html_to_pdf", lambda html: b"%PDF-stub")
    url = reverse("kinds:notice_pdf", args=[mayday_campaign.pk])
    client.force_login(tree.admin_d)
    response = client.get(url)  # no notice yet: back to the campaign with a message
    assert response.status_code == 302 and response["Location"] == mayday_campaign.get_absolute_url()
    assert not printed

    review_up(tree, make_mayday_case())
    old = do_publish_notice(campaign=mayday_campaign, actor=tree.admin_d, opened_on=datetime.date(2025, 9, 26))
    close_notice(notice=old, today=old.closes_on + datetime.timedelta(days=1))
    review_up(tree, make_mayday_case())
    current = do_publish_notice(campaign=mayday_campaign, actor=tree.admin_d, opened_on=datetime.date(2025, 9, 1))
    assert client.get(url).status_code == 200 and printed[-1] == current  # open, though older
    close_notice(notice=current, today=current.closes_on + datetime.timedelta(days=1))
    assert client.get(url).status_code == 200 and printed[-1] == old  # none open: the latest
    client.force_login(tree.reviewer_a)
    assert client.get(url).status_code == 403
