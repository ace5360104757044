"""workflows.coverage.moved: a process's old coverage address (the toy's
/toy/coverage/) sends a signed-in visitor to /coverage/ with the same
question, this year unless a year was asked; the public gets the login
page; only GET is served."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone


def _target(response):
    parts = urlsplit(response["Location"])
    return parts.path, parse_qs(parts.query)


@pytest.fixture
def signed_in(client, people):
    client.force_login(people.reviewer)
    return client


def test_without_a_year_it_asks_for_this_years(signed_in):
    response = signed_in.get("/toy/coverage/?unit=7")
    assert response.status_code == 302
    assert _target(response) == ("/coverage/", {"unit": ["7"], "year": [str(timezone.localdate().year)]})


def test_the_question_asked_is_kept(signed_in):
    response = signed_in.get("/toy/coverage/?year=2023&unit=7&unit=8")
    assert response.status_code == 302
    assert _target(response) == ("/coverage/", {"year": ["2023"], "unit": ["7", "8"]})


def test_an_empty_year_is_this_year(signed_in):
    response = signed_in.get("/toy/coverage/?year=")
    assert _target(response) == ("/coverage/", {"year": [str(timezone.localdate().year)]})


def test_the_public_gets_the_login_page(client, db):
    response = client.get("/toy/coverage/?year=2023")
    assert response.status_code == 302
    path, query = _target(response)
    assert path == "/login/" or path.endswith("/login/")
    assert query["next"] == ["/toy/coverage/?year=2023"]


def test_only_get_is_served(signed_in):
    assert signed_in.post("/toy/coverage/", {"year": "2023"}).status_code == 405
