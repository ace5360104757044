"""Idle logout and the absolute session age (等保), configurable."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time


@pytest.fixture
def limits(settings):
    settings.UNIONFLOW_IDLE_TIMEOUT_SECONDS = 30 * 60
    settings.UNIONFLOW_SESSION_MAX_SECONDS = 8 * 3600


def login(client):
    assert client.post(reverse("login"), {"username": "submitter_a1", "password": "pw"}).status_code == 302


def test_idle_for_longer_than_the_timeout_logs_out(client, tree, limits):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc)
    with freeze_time(start) as clock:
        login(client)
        clock.tick(datetime.timedelta(minutes=29))
        assert client.get(reverse("inbox")).status_code == 200
        clock.tick(datetime.timedelta(minutes=29))  # 29 minutes since the last request: still in
        assert client.get(reverse("inbox")).status_code == 200
        clock.tick(datetime.timedelta(minutes=31))
        response = client.get(reverse("inbox"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        page = client.get(response["Location"])
        assert "长时间未操作" in page.content.decode()
        assert "_auth_user_id" not in client.session
        assert client.get(reverse("inbox"))["Location"].startswith(reverse("login"))


def test_a_busy_session_still_ends_at_its_maximum_age(client, tree, limits):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc)
    with freeze_time(start) as clock:
        login(client)
        for _ in range(15):  # a request every 30 minutes minus one, for 7 1/4 hours
            clock.tick(datetime.timedelta(minutes=29))
            assert client.get(reverse("inbox")).status_code == 200
        clock.tick(datetime.timedelta(minutes=29))
        clock.tick(datetime.timedelta(minutes=20))
        response = client.get(reverse("inbox"))
        assert response["Location"].startswith(reverse("login"))
        assert "最长时限" in client.get(response["Location"]).content.decode()


def test_zero_switches_a_limit_off(client, tree, settings):
    settings.UNIONFLOW_IDLE_TIMEOUT_SECONDS = 0
    settings.UNIONFLOW_SESSION_MAX_SECONDS = 0
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc)
    with freeze_time(start) as clock:
        login(client)
        clock.tick(datetime.timedelta(hours=7))
        assert client.get(reverse("inbox")).status_code == 200
