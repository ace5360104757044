"""Accounts and headers: login throttling, Argon2, password strength,
short sessions, CSP without inline script, frame and referrer headers, and
the admin kept to the district's addresses."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

import config.settings as project_settings

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def clerk(db):
    return get_user_model().objects.create_user("clerk", password="Gongh-2024-mima!")


def login(client, username, password, ip="10.0.0.7"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_page_logs_in_and_locks_out_after_repeated_failures(clerk, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    response = login(client, "clerk", "Gongh-2024-mima!")
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    client.logout()

    for _ in range(2):
        response = login(client, "clerk", "wrong")
        assert response.status_code == 200 and "clerk" in response.content.decode()
    response = login(client, "clerk", "wrong")
    assert response.status_code == 429
    # Now even the right password is refused, with a message saying why and how long.
    response = login(client, "clerk", "Gongh-2024-mima!")
    html = response.content.decode()
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert "登录已锁定" in html and "15 分钟" in html
    # Another address is not locked out (the pair user name + address is).
    assert login(client, "clerk", "Gongh-2024-mima!", ip="10.0.0.8").status_code == 302


def test_overlong_or_nul_user_names_are_refused_and_still_counted(clerk, client, settings):
    """Found by the form fuzzer on PostgreSQL: a posted user name longer than
    axes' column (or with a NUL) was a 500. It is refused like any wrong
    login, and an overlong name's failures still lock it (shortened) out."""
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 2
    for username in ("x" * 300, "clerk\x00"):
        response = login(client, username, "wrong")
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["x" * 150]
    assert login(client, "x" * 300, "wrong").status_code == 429


def test_passwords_are_hashed_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = get_user_model().objects.create_user("hashed", password="Gongh-2024-mima!")
    assert user.password.startswith("argon2$")
    assert user.check_password("Gongh-2024-mima!")


@pytest.mark.parametrize("weak", ["demo-2024", "12345678901234", "password1234", "clerk2024clerk"])
def test_weak_passwords_are_refused(db, weak):
    user = get_user_model()(username="clerk2024clerk")
    with pytest.raises(ValidationError):
        validate_password(weak, user)
    validate_password("Lao-dong-Jiang-2024", user)


def test_session_ends_with_the_browser_and_after_a_working_day_idle(clerk, client):
    assert login(client, "clerk", "Gongh-2024-mima!").status_code == 302
    cookie = client.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 3600
    # A request moves the idle deadline on: the session is written again
    # once its expiry was last moved on a minute or more ago (not on every
    # request: config.sessions).
    from django.contrib.sessions.models import Session

    from config import sessions

    stored = Session.objects.get(session_key=cookie.value)
    first_expiry = stored.expire_date
    response = client.get("/inbox/")
    assert response.status_code == 200 and "sessionid" not in response.cookies
    assert Session.objects.get(session_key=cookie.value).expire_date == first_expiry
    real_now = sessions._now
    sessions._now = lambda: real_now() + 61
    try:
        response = client.get("/inbox/")
    finally:
        sessions._now = real_now
    assert response.status_code == 200 and "sessionid" in response.cookies
    assert Session.objects.get(session_key=cookie.value).expire_date > first_expiry


def test_headers_forbid_inline_script_frames_and_leaking_referrers(client, db):
    response = client.get("/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_script_or_style():
    """The policy would block them: scripts are files in static/js."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if path.parts[-2] == "documents":
            continue  # rendered to PDF by WeasyPrint, never served as a page
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=", text):
            offenders.append(f"{path.name}: script")
        if re.search(r"\sstyle=|<style", text) or "javascript:" in text:
            offenders.append(f"{path.name}: style or javascript: URL")
    assert offenders == []


def test_admin_answers_only_to_the_configured_networks(client, db, settings):
    settings.UNIONFLOW_ADMIN_ALLOWED_NETWORKS = ["10.1.0.0/16", "192.168.5.7"]
    assert client.get("/admin/", REMOTE_ADDR="192.168.1.5").status_code == 404
    assert client.get("/admin/login/", REMOTE_ADDR="203.0.113.9").status_code == 404
    inside = client.get("/admin/", REMOTE_ADDR="10.1.2.3")
    assert inside.status_code == 302 and "/admin/login/" in inside["Location"]
    assert client.get("/admin/login/", REMOTE_ADDR="192.168.5.7").status_code == 200
    # Behind the proxy the client's own address counts, not the proxy's.
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/admin/login/", REMOTE_ADDR="10.1.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 404


def test_site_pages_for_not_found_and_server_error(client, db, rf):
    from django.views.defaults import server_error

    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404 and "Using the URLconf" not in html and "css/app.css" in html
    error = server_error(rf.get("/"))
    assert error.status_code == 500 and "css/app.css" in error.content.decode()
    assert "服务器出错" in error.content.decode()
