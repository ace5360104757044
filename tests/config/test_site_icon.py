"""Every page declares the site's icon, a file the app serves itself:
without it each browser asks for /favicon.ico, a 404 logged on every first
visit and shown as an error on the browser's console (found by the browser
journeys)."""

import re

from django.contrib.staticfiles import finders


def test_pages_declare_an_icon_the_app_serves(client, db):
    page = client.get("/login/").content.decode()
    match = re.search(r'<link rel="icon" href="/static/([^"]+)"', page)
    assert match, "the base layout declares no icon"
    assert finders.find(match.group(1)), f"{match.group(1)} is not among the static files"
