"""The engine's public notice (公示) beyond tests/engine/test_notices.py, on
toy cases: the window cannot be closed early and holds the next step; who
opens a notice; an objection's receipt, finding and the objector kept off
the case's history; bad objections refused; the close command closes only
ended windows; the public page and objection form without login; the
district's pages for findings; what the engine never publishes; the
handler found by its key.

Ported from tests/workflows/test_notices.py (its engine part; May Day
nominations), which goes with May Day; docs/mayday-as-kinds.md §4.3 item 5
maps each test."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.engine.toy.models import ToyState as S
from tests.engine.toy.notices import toy_notice_open
from workflows.audit import history_of
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import NoticeOutcome, NoticeStatus, Objection, ObjectionStatus, PublicNotice
from workflows.notices.services import close_notice, entry_of, is_held, lodge_objection, record_finding
from workflows.steps.decisions import decide
from workflows.steps.tasks import open_step_names

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def after_window(notice):
    return notice.closes_on + datetime.timedelta(days=1)


def person_objection(entry, **kw):
    data = dict(objector_kind="person", person_name="王五", contact="13900000000", text="材料不实。")
    data.update(kw)
    return lodge_objection(entry=entry, **data)


def fresh(case):
    case.refresh_from_db()
    return case


def test_the_window_must_end_before_the_notice_closes_and_holds_the_decision(people, journey):
    case, notice = journey.in_notice()
    assert notice.window_days == 5 and notice.closes_on >= notice.opened_on
    with pytest.raises(RuleViolation):  # the window is still running
        close_notice(notice=notice, actor=people.admin, today=notice.closes_on)
    # Not the district's decision yet: the notice holds the step.
    with pytest.raises((AlreadyHandled, NotAllowed)):
        decide(case=case, actor=people.admin, decision="accept")
    assert fresh(case).state == S.IN_NOTICE and PublicNotice.objects.get().status == NoticeStatus.OPEN

    close_notice(notice=notice, today=after_window(notice))
    assert fresh(case).state == S.NOTICE_PASSED and PublicNotice.objects.get().status == NoticeStatus.CLOSED
    assert entry_of(case).outcome == NoticeOutcome.NO_OBJECTION
    decide(case=case, actor=people.admin, decision="accept")
    assert case.state == S.ACCEPTED


def test_only_the_district_admin_opens_a_notice_of_what_awaits_one(people, journey):
    with pytest.raises(RuleViolation):  # nothing awaits a notice
        toy_notice_open(district=people.district, actor=people.admin)
    case = journey.awaiting_notice()
    with pytest.raises(NotAllowed):
        toy_notice_open(district=people.district, actor=people.reviewer_d)
    assert fresh(case).state == S.AWAITING_NOTICE and not PublicNotice.objects.exists()
    notice = toy_notice_open(district=people.district, actor=people.admin, days=7)
    assert notice.window_days == 7 and notice.entries.count() == 1
    with pytest.raises(RuleViolation):  # already on the notice: nothing left to publish
        toy_notice_open(district=people.district, actor=people.admin)


def test_an_objection_has_a_receipt_a_finding_once_and_keeps_the_objector_off_the_history(people, journey):
    case, notice = journey.in_notice()
    objection = person_objection(entry_of(case))
    assert objection.reference.startswith("YY") and objection.status == ObjectionStatus.OPEN
    assert is_held(case)
    with pytest.raises((AlreadyHandled, NotAllowed)):
        decide(case=case, actor=people.admin, decision="accept")
    with pytest.raises(RuleViolation):  # a finding needs its text
        record_finding(objection=objection, actor=people.admin, upheld=False, finding=" ")
    assert Objection.objects.get().status == ObjectionStatus.OPEN

    record_finding(objection=objection, actor=people.admin, upheld=False, finding="经核查，反映情况不属实。")
    with pytest.raises(AlreadyHandled):
        record_finding(objection=objection, actor=people.admin, upheld=True, finding="again")
    journey.close(notice)
    assert fresh(case).state == S.NOTICE_PASSED and entry_of(case).outcome == NoticeOutcome.DISMISSED
    history = " ".join(f"{e.comment} {e.data}" for e in history_of(case))
    assert objection.reference in history and "王五" not in history and "13900000000" not in history


def test_an_upheld_unit_objection_rejects_its_case_only(people, journey):
    case = journey.awaiting_notice(title="甲")
    other = journey.awaiting_notice(title="乙")
    notice = toy_notice_open(district=people.district, actor=people.admin)
    assert notice.entries.count() == 2
    scan = SimpleUploadedFile("公章.png", PNG, content_type="image/png")
    objection = lodge_objection(entry=entry_of(fresh(case)), objector_kind="unit", unit_name="某某公司",
                                seal_scan=scan, contact="023-1234567", text="该单位存在违规问题。")
    assert objection.seal_scan.name and objection.seal_scan_name == "公章.png"
    record_finding(objection=objection, actor=people.admin, upheld=True, finding="经查属实，取消资格。")
    assert fresh(case).state == S.REJECTED and open_step_names(case) == []
    assert history_of(case).last().comment == "经查属实，取消资格。"
    assert entry_of(case).outcome == NoticeOutcome.UPHELD

    journey.close(notice)
    assert fresh(other).state == S.NOTICE_PASSED  # the other case is unaffected


def test_bad_objections_are_refused_with_clear_messages(people, journey):
    case, notice = journey.in_notice()
    entry = entry_of(case)
    with pytest.raises(ValidationError) as err:  # a unit without its seal
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


def test_the_close_command_closes_only_ended_windows(people, journey):
    old_case = journey.awaiting_notice(title="甲")
    old = toy_notice_open(cases=[old_case], district=people.district, actor=people.admin,
                          opened_on=datetime.date(2025, 9, 26))
    assert old.closes_on == datetime.date(2025, 10, 9)  # 5 working days over National Day, with make-up days
    current_case, current = journey.in_notice(title="乙")
    call_command("close_notices", verbosity=0)
    call_command("close_notices", verbosity=0)  # twice: nothing more happens
    assert fresh(old_case).state == S.NOTICE_PASSED
    assert fresh(current_case).state == S.IN_NOTICE
    current.refresh_from_db()
    assert current.status == NoticeStatus.OPEN
    assert history_of(old_case).filter(to_state=S.NOTICE_PASSED).count() == 1


# The pages -----------------------------------------------------------------------

def test_the_public_page_and_the_objection_form_without_login(people, journey, client, settings):
    settings.UNIONFLOW_OBJECTION_RATE = 1
    cache.clear()
    case, notice = journey.in_notice(title="甲一厂申请")
    entry = entry_of(case)

    page = client.get(f"/notices/{notice.pk}/")
    assert page.status_code == 200 and "甲一厂申请" in page.content.decode()
    assert client.get("/notices/").status_code == 200

    url = f"/notices/{notice.pk}/object/{entry.pk}/"
    fake = SimpleUploadedFile("公章.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post(url, {"objector_kind": "unit", "unit_name": "某某公司", "contact": "023-1", "text": "不实",
                                 "seal_scan": fake})
    assert response.status_code == 200 and "某某公司" in response.content.decode()  # kept what was typed
    assert response.context["form"].errors["seal_scan"]
    assert not Objection.objects.exists()

    data = {"objector_kind": "person", "person_name": "王五", "contact": "139", "text": "不实"}
    assert client.post(url, data).status_code == 429  # a second objection from this address within the hour
    assert not Objection.objects.exists()
    cache.clear()
    response = client.post(url, data)
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.reference in client.get(response["Location"]).content.decode()
    assert is_held(case)


def test_the_district_records_findings_and_closes_on_its_pages(people, journey, client):
    case, notice = journey.in_notice()
    objection = person_objection(entry_of(case))
    sealed = lodge_objection(entry=entry_of(case), objector_kind="unit", unit_name="某某公司", contact="023",
                             text="不实", seal_scan=SimpleUploadedFile("公章.png", PNG, content_type="image/png"))

    client.force_login(people.reviewer)  # not the district's staff
    assert client.get(f"/notices/{notice.pk}/manage/").status_code == 404
    assert client.get(f"/notices/objections/{objection.pk}/").status_code == 404
    client.force_login(people.reviewer_d)  # district staff, not its administrator
    page = client.get(f"/notices/{notice.pk}/manage/")
    assert page.status_code == 200 and objection.reference in page.content.decode()
    assert f"/notices/objections/{objection.pk}/" not in page.content.decode()  # no link to the objector
    assert client.post(f"/notices/objections/{objection.pk}/", {"upheld": "0", "finding": "x"}).status_code == 403
    # Who objected (name, contact, seal) is for the administrator only.
    detail = client.get(f"/notices/objections/{objection.pk}/")
    assert detail.status_code == 403 and "13900000000" not in detail.content.decode()
    assert client.get(f"/notices/objections/{sealed.pk}/seal/").status_code == 403
    assert Objection.objects.get(pk=objection.pk).status == ObjectionStatus.OPEN

    client.force_login(people.admin)
    assert objection.reference in client.get(f"/notices/{notice.pk}/manage/").content.decode()
    assert "王五" in client.get(f"/notices/objections/{objection.pk}/").content.decode()
    seal = client.get(f"/notices/objections/{sealed.pk}/seal/")
    assert seal.status_code == 200 and b"".join(seal.streaming_content) == PNG
    response = client.post(f"/notices/objections/{objection.pk}/", {"upheld": "0", "finding": ""})
    assert response.status_code == 200 and response.context["form"].errors["finding"]
    assert Objection.objects.get(pk=objection.pk).status == ObjectionStatus.OPEN
    response = client.post(f"/notices/objections/{objection.pk}/", {"upheld": "0", "finding": "不属实"})
    assert response.status_code == 302 and Objection.objects.get(pk=objection.pk).status == ObjectionStatus.DISMISSED
    record_finding(objection=sealed, actor=people.admin, upheld=False, finding="不属实")
    response = client.post(f"/notices/{notice.pk}/close/")  # the window still runs
    assert response.status_code == 302 and PublicNotice.objects.get().status == NoticeStatus.OPEN
    assert fresh(case).state == S.IN_NOTICE


# What a notice publishes, and its handler ----------------------------------------------

def test_the_engine_never_publishes_identity_contact_or_birth_fields(people, journey):
    from workflows.notices.services import publishable

    for name in ("id_number", "contact_phone", "mobile", "birth_date", "date_of_birth", "home_address", "email"):
        assert not publishable(name), name
    for name in ("nominee_name", "work_unit", "summary", "title"):
        assert publishable(name), name


def test_the_handler_is_found_by_the_key_its_process_registered(db):
    from workflows.notices import services as notices

    handler = notices._handler(PublicNotice(handler="toy"))
    assert callable(handler.entry_passed) and callable(handler.objection_upheld)
    with pytest.raises(LookupError):
        notices._handler(PublicNotice(handler="tests.engine.toy.notices"))
