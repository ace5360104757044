"""The one coverage page is the engine's: with no process installed it
shows what a registered section renders for the asked year, downloads the
sections' sheets in one workbook, keeps a section's own query through the
year form, and is a 404 for a user no section has anything for."""

import io

import pytest
from openpyxl import load_workbook

from workflows.coverage import registry
from workflows.coverage.registry import register_coverage_section
from workflows.documents.xlsx import Sheet
from workflows.models import Membership

pytestmark = pytest.mark.django_db


def _branch_staff(user):
    return Membership.objects.filter(user=user, role="reviewer").exists()


def toy_section(request, year):
    if not _branch_staff(request.user):
        return None
    return f"<p>toy figures of {year} for {request.GET.get('unit', 'all')}</p>"


def toy_sheets(request, year):
    if not _branch_staff(request.user):
        return None
    return [Sheet("toy", ["year", "figure"], [[year, 42]], caption=[f"toy {year}"])]


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setattr(registry, "_SECTIONS", {})
    register_coverage_section("toy", label="Toy", render=toy_section, sheets=toy_sheets, order=1,
                              default_year=lambda: 2023)


def test_the_page_shows_the_registered_sections_for_the_year(people, toy, client):
    client.force_login(people.reviewer)
    page = client.get("/coverage/")
    assert page.status_code == 200 and "toy figures of 2023 for all" in page.content.decode()
    page = client.get("/coverage/", {"year": 2025, "unit": "甲"})
    html = page.content.decode()
    assert "toy figures of 2025 for 甲" in html
    assert 'name="unit" value="甲"' in html  # the year form keeps the section's question
    workbook = load_workbook(io.BytesIO(client.get("/coverage/export.xlsx", {"year": 2025}).content))
    assert workbook.sheetnames == ["toy"]
    assert [r for r in workbook["toy"].iter_rows(values_only=True)][-1] == (2025, 42)


def test_nobody_else_sees_it(people, toy, client):
    for user in (people.submitter, people.inspector1):
        client.force_login(user)
        assert client.get("/coverage/").status_code == 404
        assert client.get("/coverage/export.xlsx").status_code == 404
    client.logout()
    assert client.get("/coverage/").status_code == 302  # to the login page
