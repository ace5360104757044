"""Public endpoints: rate limits before the body is read, file parts capped
while they arrive, the client address as the proxy setting gives it, and
closed notices leaving the public site after the retention period."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.utils import timezone

from awards.kinds.notices import do_publish_notice
from tests.awards.kinds.test_mayday_rules import review_up
from workflows.notices.services import close_notice
from workflows.security.ratelimit import RateLimitMiddleware
from config.uploads import CappedUploadHandler, OversizeUpload
from workflows.models import Objection, PublicNotice
from workflows.notices.services import entry_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def notice_and_entry(tree, mayday_campaign, make_mayday_case):
    case = review_up(tree, make_mayday_case())
    notice = do_publish_notice(campaign=mayday_campaign, actor=tree.admin_d)
    case.refresh_from_db()
    return notice, entry_of(case)


def objection_url(notice, entry):
    return f"/notices/{notice.pk}/object/{entry.pk}/"


PERSON = {"objector_kind": "person", "person_name": "王五", "contact": "139", "text": "事迹不实"}


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        pytest.fail("the request body was read")

    readline = read


def test_rate_limit_answers_before_the_body_is_read(notice_and_entry, settings):
    settings.UNIONFLOW_OBJECTION_RATE = 0
    notice, entry = notice_and_entry
    request = RequestFactory().post(objection_url(notice, entry), PERSON, REMOTE_ADDR="203.0.113.5")
    request._stream = UnreadableBody()
    middleware = RateLimitMiddleware(lambda request: pytest.fail("the view was reached"))
    response = middleware(request)
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert "异议过多" in response.content.decode()


def test_rate_limit_comes_before_the_csrf_check_reads_the_form(notice_and_entry, settings):
    settings.UNIONFLOW_OBJECTION_RATE = 1
    notice, entry = notice_and_entry
    client = Client(enforce_csrf_checks=True)
    assert client.post(objection_url(notice, entry), PERSON).status_code == 403  # no token: CSRF refuses
    assert client.post(objection_url(notice, entry), PERSON).status_code == 429  # counted before CSRF
    assert not Objection.objects.exists()


def test_each_client_behind_the_proxy_has_its_own_bucket(notice_and_entry, client, settings):
    settings.UNIONFLOW_OBJECTION_RATE = 1
    settings.TRUSTED_PROXY_COUNT = 1
    notice, entry = notice_and_entry
    url = objection_url(notice, entry)

    def post(address):
        return client.post(url, PERSON, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address)

    assert post("198.51.100.1").status_code == 302
    assert post("198.51.100.2").status_code == 302  # another citizen, same proxy
    assert post("198.51.100.1").status_code == 429
    assert Objection.objects.count() == 2


def test_a_request_announcing_too_much_is_refused_unread(db, settings):
    settings.UNIONFLOW_MAX_REQUEST_BYTES = 1000
    request = RequestFactory().post("/login/", {"username": "x"}, CONTENT_LENGTH="5000")
    request._stream = UnreadableBody()
    response = RateLimitMiddleware(lambda request: pytest.fail("the view was reached"))(request)
    assert response.status_code == 413 and "内容过大" in response.content.decode()


def test_upload_handler_stops_keeping_a_part_past_the_cap(settings):
    settings.UPLOAD_MAX_BYTES = 100_000
    handler = CappedUploadHandler()
    handler.new_file("seal_scan", "seal.png", "image/png", None)
    passed_on = 0
    for start in range(0, 640_000, 64_000):
        chunk = handler.receive_data_chunk(b"x" * 64_000, start)
        passed_on += len(chunk or b"")
    assert passed_on <= 100_000  # what the memory / temporary-file handlers got
    stand_in = handler.file_complete(640_000)
    assert isinstance(stand_in, OversizeUpload) and stand_in.size == 640_000 and stand_in.read() == b""

    small = CappedUploadHandler()
    small.new_file("seal_scan", "seal.png", "image/png", None)
    assert small.receive_data_chunk(PNG, 0) == PNG and small.file_complete(len(PNG)) is None


def test_an_oversize_seal_scan_is_refused_with_what_was_typed_kept(notice_and_entry, client, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    notice, entry = notice_and_entry
    scan = SimpleUploadedFile("公章.png", PNG + b"\x00" * 5000, content_type="image/png")
    response = client.post(
        objection_url(notice, entry),
        {"objector_kind": "unit", "unit_name": "某某公司", "contact": "023-1", "text": "不实", "seal_scan": scan},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "某某公司" in html
    assert "公章.png" in str(response.context["form"].errors["seal_scan"])
    assert "不得超过" in str(response.context["form"].errors["seal_scan"])
    assert not Objection.objects.exists()


def test_a_closed_notice_leaves_the_public_site_after_the_retention_period(tree, notice_and_entry, client, settings):
    settings.UNIONFLOW_NOTICE_RETENTION_DAYS = 30
    notice, entry = notice_and_entry
    close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
    url = f"/notices/{notice.pk}/"
    assert client.get(url).status_code == 200  # just closed: still public

    PublicNotice.objects.filter(pk=notice.pk).update(closed_at=timezone.now() - datetime.timedelta(days=31))
    assert client.get(url).status_code == 404
    assert client.get(objection_url(notice, entry)).status_code == 404
    client.force_login(tree.outsider)
    assert client.get(url).status_code == 404
    client.force_login(tree.reviewer_a)  # staff of another organisation
    assert client.get(url).status_code == 404
    client.force_login(tree.admin_d)  # the publishing district
    assert client.get(url).status_code == 200
    assert client.get(f"/notices/{notice.pk}/manage/").status_code == 200
