"""The browser harness itself: the login page renders in Chromium, with the
app's own styles (no CDN), in Chinese."""

from tests.e2e.conftest import login, shot_both


def test_login_page_and_inbox_render_in_chromium(open_page, tree):
    page = open_page()
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    login(page, tree.reviewer_a.username)
    assert page.locator("body").inner_text().count("我的待办") >= 1
    shot_both(page, "inbox")
    assert not failed
    # Every request stayed on the live server: nothing from a CDN.
