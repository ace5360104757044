"""Browser journeys: Playwright for Python driving Debian's Chromium against
the app served by pytest-django's live server.

No browser is ever downloaded: the journeys use /usr/bin/chromium (or
$CHROMIUM), which `make setup` installs through apt where it may. Where no
browser can be had the journeys skip, saying why.

Each journey ends in screenshots under var/screenshots/, at desktop width
and at a phone's 390 px (`shot`).
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test's thread; Django's
# ORM (used by the tests to set up and check rows) refuses to run in a thread
# with a running loop unless told this is deliberate. The server side runs in
# the live server's own threads and is not affected.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

# Chromium as root in a container: no sandbox; and no background traffic,
# which this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium():
    candidates = [os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - requirements install it
        pytest.skip("Playwright is not installed (pip install -r requirements.txt)")
    executable = _chromium()
    if executable is None:
        pytest.skip("No Chromium here: install Debian's chromium package (make setup does, where it may) or set CHROMIUM")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def e2e_server(request):
    """The live server, speaking plain HTTP on localhost.

    The settings fail closed (HTTPS redirect, secure cookies), and the live
    server builds its middleware once, when it starts: so the plain-HTTP
    settings are in place before it starts, for the whole session, and put
    back after it.
    """
    from django.conf import settings as live

    # Static files come from WhiteNoise, as in production, but found in the
    # source folders (no collectstatic before a test run).
    plain_http = {
        "SECURE_SSL_REDIRECT": False, "SESSION_COOKIE_SECURE": False, "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0, "WHITENOISE_USE_FINDERS": True, "WHITENOISE_AUTOREFRESH": True,
    }
    saved = {name: getattr(live, name) for name in plain_http}
    for name, value in plain_http.items():
        setattr(live, name, value)
    yield request.getfixturevalue("live_server")
    for name, value in saved.items():
        setattr(live, name, value)


@pytest.fixture
def open_page(browser, e2e_server, transactional_db, settings):
    """open_page(phone=False, lang="zh-hans") → a fresh browser tab (its own
    cookies: one person) on the live server, desktop-sized or phone-sized."""
    # pytest-django allows the live server's host only for a test that names
    # `live_server` itself; without this, only a session's first journey
    # would be served (the next ones: 400 DisallowedHost).
    host = urlsplit(e2e_server.url).hostname
    if host not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
    contexts = []

    def _open(phone=False, lang="zh-hans"):
        options = {"base_url": e2e_server.url, "locale": "zh-CN" if lang == "zh-hans" else "en-US"}
        if phone:
            options.update(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
        else:
            options.update(viewport=DESKTOP)
        context = browser.new_context(accept_downloads=True, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def login(page, username, password="pw"):
    """Sign in through the login form, as a person would."""
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.stack button.primary")
    page.wait_for_load_state("networkidle")
    assert "/login/" not in page.url, f"login failed for {username}: {page.url}"


def shot(page, name):
    """Save a full-page screenshot as var/screenshots/<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def shot_both(page, name):
    """The page as it is now, at desktop width and at a phone's 390 px."""
    page.set_viewport_size(DESKTOP)
    shot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    shot(page, f"{name}-phone")
    page.set_viewport_size(DESKTOP)
