"""The health check: one trivial query, no session, 503 without a database."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test.utils import CaptureQueriesContext
from django.db import connection


@pytest.mark.django_db
def test_healthz_answers_ok_with_one_query(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]
    # Nothing to keep: no session cookie, and no cache may hold the answer.
    assert "sessionid" not in response.cookies
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_says_503_when_the_database_fails(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content != b"ok"
