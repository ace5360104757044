"""Public notice (公示) and objections, through the May Day award."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from workflows.steps.decisions import decide
from awards.mayday.models import Nomination
from awards.mayday.models import NominationState as S
from awards.mayday.notices import campaign_notice_open
from workflows.notices.services import close_notice, record_finding
from workflows.audit import history_of
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.steps.tasks import open_step_names
from workflows.models import NO_OBJECTION_TEXT, NoticeOutcome, NoticeStatus, Objection, ObjectionStatus, PublicNotice
from workflows.notices.services import entry_of, is_held, lodge_objection

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def to_notice(tree, nomination):
    for user in (tree.chair, tree.reviewer_a, tree.reviewer_d):
        decide(decision="approve", case=nomination, actor=user)
    assert nomination.state == S.AWAITING_NOTICE
    return nomination


def after_window(notice):
    return notice.closes_on + datetime.timedelta(days=1)


def person_objection(entry, **kw):
    data = dict(objector_kind="person", person_name="王五", contact="13900000000", text="事迹不实。")
    data.update(kw)
    return lodge_objection(entry=entry, **data)


def fresh(nomination):
    nomination.refresh_from_db()
    return nomination


def test_window_without_objection_files_no_objection(tree, campaign, make_nomination):
    n = to_notice(tree, make_nomination(contact_phone="13812345678"))
    notice = campaign_notice_open(campaign=campaign, actor=tree.admin_d)
    n = fresh(n)
    assert n.state == S.IN_NOTICE and open_step_names(n) == ["notice"]
    assert notice.window_days == 5 and notice.closes_on >= notice.opened_on

    entry = entry_of(n)
    published = entry.published
    assert published["nominee_name"] == "张三" and published["organisation"] == tree.union_a1.name
    assert "id_number" not in published and "contact_phone" not in published
    assert "110101198503011234" not in str(published) and "13812345678" not in str(published)
    rows = [(str(label), value) for label, value in entry.published_rows()]
    assert (str(Nomination._meta.get_field("nominee_name").verbose_name), "张三") in rows
    assert (str(Nomination._meta.get_field("organisation").verbose_name), tree.union_a1.name) in rows

    with pytest.raises(RuleViolation):  # the window is still running
        close_notice(notice=notice, actor=tree.admin_d, today=notice.closes_on)
    # Not the district's decision yet: the notice holds the step.
    with pytest.raises((AlreadyHandled, NotAllowed)):
        decide(case=n, actor=tree.admin_d, decision="award")

    close_notice(notice=notice, today=after_window(notice))
    n = fresh(n)
    assert n.state == S.DISTRICT_APPROVED and open_step_names(n) == ["decide"]
    entry.refresh_from_db()
    assert entry.outcome == NoticeOutcome.NO_OBJECTION
    passed = [e for e in history_of(n) if e.action == "awards.nomination.notice_passed"]
    assert len(passed) == 1 and passed[0].comment == NO_OBJECTION_TEXT == "公示无异议"
    assert (passed[0].from_state, passed[0].to_state) == (S.IN_NOTICE, S.DISTRICT_APPROVED)
    assert PublicNotice.objects.get().status == NoticeStatus.CLOSED

    decide(case=n, actor=tree.admin_d, decision="award")
    assert n.state == S.AWARDED


def test_open_objection_holds_the_case_until_dismissed(tree, campaign, make_nomination):
    n = to_notice(tree, make_nomination())
    notice = campaign_notice_open(campaign=campaign, actor=tree.admin_d, nominations=[n])
    objection = person_objection(entry_of(n))
    assert objection.reference.startswith("YY") and objection.status == ObjectionStatus.OPEN
    assert is_held(n)

    close_notice(notice=notice, today=after_window(notice))
    n = fresh(n)
    assert n.state == S.IN_NOTICE and open_step_names(n) == ["notice"]  # held
    assert entry_of(n).outcome == NoticeOutcome.PENDING
    assert "workflows.notice.held" in [e.action for e in history_of(n)]
    with pytest.raises((AlreadyHandled, NotAllowed)):
        decide(case=n, actor=tree.admin_d, decision="award")

    with pytest.raises(NotAllowed):  # only the district's administrator finds
        record_finding(objection=objection, actor=tree.reviewer_d, upheld=False, finding="不成立")
    with pytest.raises(RuleViolation):
        record_finding(objection=objection, actor=tree.admin_d, upheld=False, finding=" ")
    record_finding(objection=objection, actor=tree.admin_d, upheld=False, finding="经核查，反映情况不属实。")
    n = fresh(n)
    assert n.state == S.DISTRICT_APPROVED and open_step_names(n) == ["decide"]
    assert entry_of(n).outcome == NoticeOutcome.DISMISSED
    with pytest.raises(AlreadyHandled):
        record_finding(objection=objection, actor=tree.admin_d, upheld=True, finding="again")

    # The objector's identity stays off the case's history.
    history = " ".join(f"{e.comment} {e.data}" for e in history_of(n))
    assert objection.reference in history and "王五" not in history and "13900000000" not in history


def test_dismissed_during_the_window_passes_when_it_closes(tree, campaign, make_nomination):
    n = to_notice(tree, make_nomination())
    notice = campaign_notice_open(campaign=campaign, actor=tree.admin_d)
    objection = person_objection(entry_of(n))
    record_finding(objection=objection, actor=tree.admin_d, upheld=False, finding="不成立")
    assert fresh(n).state == S.IN_NOTICE  # the window is still running
    close_notice(notice=notice, today=after_window(notice))
    assert fresh(n).state == S.DISTRICT_APPROVED
    assert entry_of(n).outcome == NoticeOutcome.DISMISSED


def test_upheld_objection_rejects_the_case_with_the_finding(tree, campaign, make_nomination):
    n = to_notice(tree, make_nomination())
    other = to_notice(tree, make_nomination(nominee_name="李四", id_number="110101199001011234"))
    notice = campaign_notice_open(campaign=campaign, actor=tree.admin_d)
    assert notice.entries.count() == 2
    scan = SimpleUploadedFile("公章.png", PNG, content_type="image/png")
    objection = lodge_objection(
        entry=entry_of(n), objector_kind="unit", unit_name="某某公司", seal_scan=scan,
        contact="023-1234567", text="该同志存在违纪问题。",
    )
    assert objection.seal_scan.name and objection.seal_scan_name == "公章.png"
    record_finding(objection=objection, actor=tree.admin_d, upheld=True, finding="经查属实，取消推荐资格。")
    n = fresh(n)
    assert n.state == S.REJECTED and open_step_names(n) == []
    last = history_of(n).last()
    assert last.action == "awards.nomination.rejected" and last.comment == "经查属实，取消推荐资格。"
    assert entry_of(n).outcome == NoticeOutcome.UPHELD

    close_notice(notice=notice, today=after_window(notice))
    assert fresh(other).state == S.DISTRICT_APPROVED  # the other candidate is unaffected


def test_bad_objections_are_refused_with_clear_messages(tree, campaign, make_nomination):
    n = to_notice(tree, make_nomination())
    notice = campaign_notice_open(campaign=campaign, actor=tree.admin_d)
    entry = entry_of(n)
    with pytest.raises(ValidationError) as err:
        lodge_objection(entry=entry, objector_kind="unit", unit_name="某公司", contact="x", text="y")
    assert "seal_scan" in err.value.message_dict
    fake = SimpleUploadedFile("公章.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as err:
        lodge_objection(entry=entry, objector_kind="unit", unit_name="某公司", seal_scan=fake, contact="x", text="y")
    assert "seal_scan" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        person_objection(entry, person_name="", contact="", text="")
    assert {"person_name", "contact", "text"} <= set(err.value.message_dict)
    with pytest.raises(RuleViolation):  # after the window
        person_objection(entry, today=after_window(notice))
    assert not entry.objections.exists()


def test_only_the_district_admin_opens_a_notice(tree, campaign, make_nomination):
    with pytest.raises(RuleViolation):  # nothing awaits a notice
        campaign_notice_open(campaign=campaign, actor=tree.admin_d)
    to_notice(tree, make_nomination())
    with pytest.raises(NotAllowed):
        campaign_notice_open(campaign=campaign, actor=tree.reviewer_d)
    notice = campaign_notice_open(campaign=campaign, actor=tree.admin_d, days=7)
    assert notice.window_days == 7 and notice.entries.count() == 1
    with pytest.raises(RuleViolation):  # already on the notice
        campaign_notice_open(campaign=campaign, actor=tree.admin_d)


def test_close_notices_command_closes_only_ended_windows(tree, campaign, make_nomination):
    n = to_notice(tree, make_nomination())
    old = campaign_notice_open(campaign=campaign, actor=tree.admin_d, opened_on=datetime.date(2025, 9, 26))
    assert old.closes_on == datetime.date(2025, 10, 9)
    m = to_notice(tree, make_nomination(nominee_name="李四", id_number="110101199001011234"))
    current = campaign_notice_open(campaign=campaign, actor=tree.admin_d)
    call_command("close_notices", verbosity=0)
    call_command("close_notices", verbosity=0)  # twice: nothing more happens
    assert fresh(n).state == S.DISTRICT_APPROVED
    assert fresh(m).state == S.IN_NOTICE
    current.refresh_from_db()
    assert current.status == NoticeStatus.OPEN
    assert [e.action for e in history_of(n)].count("awards.nomination.notice_passed") == 1


# The pages -----------------------------------------------------------------------

def test_public_page_and_objection_form_without_login(tree, campaign, make_nomination, client, settings):
    settings.UNIONFLOW_OBJECTION_RATE = 1
    from django.core.cache import cache

    cache.clear()
    n = to_notice(tree, make_nomination(contact_phone="13812345678"))
    notice = campaign_notice_open(campaign=campaign, actor=tree.admin_d)
    entry = entry_of(fresh(n))

    page = client.get(f"/notices/{notice.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "张三" in html and tree.union_a1.name in html
    assert "110101198503011234" not in html and "13812345678" not in html
    assert client.get("/notices/").status_code == 200

    url = f"/notices/{notice.pk}/object/{entry.pk}/"
    fake = SimpleUploadedFile("公章.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post(url, {"objector_kind": "unit", "unit_name": "某某公司", "contact": "023-1", "text": "不实",
                                 "seal_scan": fake})
    assert response.status_code == 200 and "某某公司" in response.content.decode()  # kept what was typed
    assert response.context["form"].errors["seal_scan"]
    assert not Objection.objects.exists()

    response = client.post(url, {"objector_kind": "person", "person_name": "王五", "contact": "139", "text": "不实"})
    assert response.status_code == 429  # a second objection from this address within the hour
    cache.clear()
    response = client.post(url, {"objector_kind": "person", "person_name": "王五", "contact": "139", "text": "不实"})
    assert response.status_code == 302
    objection = Objection.objects.get()
    receipt = client.get(response["Location"])
    assert objection.reference in receipt.content.decode()


def test_district_records_findings_and_closes_on_its_pages(tree, campaign, make_nomination, client):
    n = to_notice(tree, make_nomination())
    notice = campaign_notice_open(campaign=campaign, actor=tree.admin_d)
    objection = person_objection(entry_of(fresh(n)))
    scan_owner = lodge_objection(
        entry=entry_of(n), objector_kind="unit", unit_name="某某公司", contact="023",
        text="不实", seal_scan=SimpleUploadedFile("公章.png", PNG, content_type="image/png"),
    )

    client.force_login(tree.reviewer_a)  # not the district's staff
    assert client.get(f"/notices/{notice.pk}/manage/").status_code == 404
    assert client.get(f"/notices/objections/{objection.pk}/").status_code == 404
    client.force_login(tree.reviewer_d)  # district staff, not its administrator
    page = client.get(f"/notices/{notice.pk}/manage/")
    assert page.status_code == 200 and objection.reference in page.content.decode()
    assert f"/notices/objections/{objection.pk}/" not in page.content.decode()  # no link to the objector
    assert client.post(f"/notices/objections/{objection.pk}/", {"upheld": "0", "finding": "x"}).status_code == 403
    # Who objected (name, contact, seal) is for the administrator only.
    detail = client.get(f"/notices/objections/{objection.pk}/")
    assert detail.status_code == 403 and "13900000000" not in detail.content.decode()
    assert client.get(f"/notices/objections/{scan_owner.pk}/seal/").status_code == 403
    assert Objection.objects.get(pk=objection.pk).status == ObjectionStatus.OPEN

    client.force_login(tree.admin_d)
    page = client.get(f"/notices/{notice.pk}/manage/").content.decode()
    assert objection.reference in page
    detail = client.get(f"/notices/objections/{objection.pk}/").content.decode()
    assert "王五" in detail  # the district sees who objected
    seal = client.get(f"/notices/objections/{scan_owner.pk}/seal/")
    assert seal.status_code == 200 and b"".join(seal.streaming_content) == PNG
    response = client.post(f"/notices/objections/{objection.pk}/", {"upheld": "0", "finding": ""})
    assert response.status_code == 200 and response.context["form"].errors["finding"]
    response = client.post(f"/notices/objections/{objection.pk}/", {"upheld": "0", "finding": "不属实"})
    assert response.status_code == 302
    record_finding(objection=scan_owner, actor=tree.admin_d, upheld=False, finding="不属实")
    response = client.post(f"/notices/{notice.pk}/close/")  # the window still runs
    assert response.status_code == 302 and PublicNotice.objects.get().status == NoticeStatus.OPEN
    assert fresh(n).state == S.IN_NOTICE


# What a notice publishes, and its handler ----------------------------------------------

def test_only_offered_fields_are_published(tree, campaign, make_nomination):
    campaign.notice_fields = ["nominee_name", "birth_date", "id_number", "contact_phone", "ethnicity", "deeds",
                              "ethnicity", 7]
    campaign.save()
    n = to_notice(tree, make_nomination(contact_phone="13812345678"))
    notice = campaign_notice_open(campaign=campaign, actor=tree.admin_d)
    assert notice.published_fields == ["nominee_name", "ethnicity"]
    assert entry_of(fresh(n)).published == {"nominee_name": "张三", "ethnicity": "汉族"}


def test_the_preview_shows_choices_as_the_public_page_will(tree, campaign, make_nomination, client):
    """The district checks what it is about to publish: a gender reads 男,
    as on the public page, not the stored code M."""
    n = to_notice(tree, make_nomination(gender="M"))
    client.force_login(tree.admin_d)
    preview = client.get(f"/awards/campaigns/{campaign.code}/notice/open/")
    published = dict((str(label), value) for label, value in preview.context["rows"][0])
    assert published["性别"] == "男" and published["奖项"] == "五一劳动奖章（个人）"
    assert '<td data-label="性别">男</td>' in preview.content.decode()
    client.post(f"/awards/campaigns/{campaign.code}/notice/open/", {"confirmed": "1"})
    public = client.get(f"/notices/{entry_of(fresh(n)).notice_id}/").content.decode()
    assert "<dt>性别</dt><dd>男</dd>" in public


def test_the_engine_never_publishes_identity_contact_or_birth_fields():
    from workflows.notices.services import publishable

    for name in ("id_number", "contact_phone", "mobile", "birth_date", "date_of_birth", "home_address", "email"):
        assert not publishable(name), name
    for name in ("nominee_name", "work_unit", "summary"):
        assert publishable(name)


def test_the_handler_is_found_by_the_key_its_process_registered():
    from workflows.notices import services as notices

    handler = notices._handler(PublicNotice(handler="mayday"))
    assert callable(handler.entry_passed) and callable(handler.objection_upheld)
    with pytest.raises(LookupError):
        notices._handler(PublicNotice(handler="awards.notices"))


# The printed notice ------------------------------------------------------------------

def test_printed_notice_follows_its_public_notice(tree, campaign, make_nomination, client):
    import io

    from pypdf import PdfReader

    from awards.mayday.documents import public_notice_pdf

    campaign.notice_fields = ["nominee_name", "work_unit", "summary", "birth_date"]
    campaign.save()
    n = to_notice(tree, make_nomination(contact_phone="13812345678"))
    other = to_notice(tree, make_nomination(nominee_name="李四", id_number="110101199001011234"))
    notice = campaign_notice_open(campaign=campaign, actor=tree.admin_d, days=7,
                                  opened_on=datetime.date(2025, 9, 26))
    assert notice.closes_on == datetime.date(2025, 10, 11)  # 7 working days over National Day, with make-up days
    objection = person_objection(entry_of(fresh(n)), today=datetime.date(2025, 9, 29))
    record_finding(objection=objection, actor=tree.admin_d, upheld=True, finding="属实")

    reader = PdfReader(io.BytesIO(public_notice_pdf(notice)))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "").replace(" ", "")
    assert notice.title in text
    assert "7个工作日" in text and "2025年9月26日至2025年10月11日" in text
    assert "李四" in text and "甲一机械厂" in text and "技术革新能手" in text
    assert "张三" not in text  # rejected on an upheld objection: off the notice
    assert "性别" not in text and "男" not in text  # gender was not published
    for private in ("110101199001011234", "1985", "13812345678"):
        assert private not in text
    assert fresh(other).state == S.IN_NOTICE


def test_print_view_picks_the_open_notice_or_the_latest(tree, campaign, make_nomination, client, monkeypatch):
    from awards.mayday import documents
    from workflows.documents import rendering

    printed = []
    monkeypatch.setattr(documents, "public_notice_html", lambda notice, **kw: printed.append(notice) or f"<p>{notice.pk}</p>")
    monkeypatch.setattr(rendering, "html_to_pdf", lambda html: b"%PDF-stub")
    url = f"/awards/campaigns/{campaign.code}/public-notice.pdf"
    client.force_login(tree.admin_d)
    response = client.get(url)  # no notice yet: back to the campaign with a message
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url() and not printed

    to_notice(tree, make_nomination())
    old = campaign_notice_open(campaign=campaign, actor=tree.admin_d, opened_on=datetime.date(2025, 9, 26))
    close_notice(notice=old, today=after_window(old))
    to_notice(tree, make_nomination(nominee_name="李四", id_number="110101199001011234"))
    current = campaign_notice_open(campaign=campaign, actor=tree.admin_d, opened_on=datetime.date(2025, 9, 1))
    assert client.get(url).status_code == 200 and printed[-1] == current  # open, though older
    close_notice(notice=current, today=after_window(current))
    assert client.get(url).status_code == 200 and printed[-1] == old  # none open: the latest
    client.force_login(tree.reviewer_a)
    assert client.get(url).status_code == 403
