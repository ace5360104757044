"""On a phone the header leaves the page to the page: the menu folds away
behind "菜单" (no script: a checkbox and its label), and the header stays
within ~120 px for every role, the people most on phones first."""

import pytest
from django.urls import reverse

from tests.e2e.conftest import login, shot
from tests.e2e.journey_pages import watch, zh

HEADER_MAX_PX = 120


@pytest.mark.parametrize("persona", ["submitter", "chair", "reviewer_a", "admin_d"])
def test_phone_header_is_short_and_the_menu_opens(open_page, tree, persona):
    page = open_page(phone=True)
    watched = watch(page)
    login(page, getattr(tree, persona).username)

    header = page.locator("header.top")
    height = header.bounding_box()["height"]
    assert height <= HEADER_MAX_PX, f"{persona}: header {height:.0f} px tall on a 390 px phone"
    inbox_link = page.locator(f"header.top nav a[href='{reverse('inbox')}']")
    assert not inbox_link.is_visible(), "the menu is folded until asked for"

    page.locator("header.top .menu-button").click()
    assert inbox_link.is_visible()
    assert zh("Log out") in header.inner_text()
    shot(page, f"header-menu-open-{persona}-phone")
    # Nothing sticks out sideways with the menu open.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    watched.check()


def test_desktop_header_shows_the_menu_without_a_click(open_page, tree):
    page = open_page()
    login(page, tree.submitter.username)
    assert page.locator(f"header.top nav a[href='{reverse('inbox')}']").is_visible()
    assert not page.locator("header.top .menu-button").is_visible()
