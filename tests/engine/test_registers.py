"""The engine's list page serving a register of rows that are no process's
cases (model home's register of titles is one): its own queryset, a day's
filter, a cell linking to another page, rows ticked for an action shown to
those who may act, and a workbook of its own; and the one confirmation
page with what an action touches and what it leaves out."""

import datetime
import io

from django.test import RequestFactory
from openpyxl import load_workbook

from tests.conftest import make_org
from workflows.models import Organisation, OrgKind
from workflows.pages.forms import confirm_page

URL = "/toy/units/"


def test_a_register_lists_filters_links_and_exports_its_own_rows(people, client):
    Organisation.objects.filter(pk=people.unit.pk).update(established_on=datetime.date(2020, 1, 1))
    later = make_org("甲二厂工会", "unit-2", OrgKind.GRASSROOTS, people.town)
    Organisation.objects.filter(pk=later.pk).update(established_on=datetime.date(2024, 6, 1))
    client.force_login(people.reviewer)
    page = client.get(URL)
    html = page.content.decode()
    assert page.context["process"] is None
    assert [r["case"].code for r in page.context["rows"]] == ["unit", "unit-2"]
    assert 'href="/units/unit/"' in html and 'type="date"' in html
    assert 'name="unit"' not in html  # only those the register lets act tick rows
    by_2021 = client.get(URL, {"by": "2021-01-01"})
    assert [r["case"].code for r in by_2021.context["rows"]] == ["unit"]
    # A day that is no day filters nothing (an ignored filter, not an error).
    assert len(client.get(URL, {"by": "2021-13-40"}).context["rows"]) == 2
    sheet = load_workbook(io.BytesIO(client.get(URL, {"by": "2021-01-01", "format": "xlsx"}).content)).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["Own sheet", "unit"]

    client.force_login(people.admin)
    html = client.get(URL).content.decode()
    assert f'name="unit" value="{people.unit.pk}" aria-label="{people.unit.name}"' in html
    assert 'formaction="/toy/"' in html and "Act on the ticked units" in html


def test_the_confirmation_lists_what_an_action_touches_and_posts_confirmed(people):
    request = RequestFactory().post("/x/")
    request.user = people.admin
    html = confirm_page(request, title="Withdraw", heading="Withdraw it?", lines=["It cannot be undone."],
                        items=["甲一厂"], aside=["乙一厂 · held"], aside_title="Left out:", hidden=[("pk", 7)],
                        submit="Yes, withdraw", back_url="/back/", style="danger").content.decode()
    for shown in ("Withdraw it?", "It cannot be undone.", "<li>甲一厂</li>", "Left out:", "<li>乙一厂 · held</li>",
                  'name="pk" value="7"', 'name="confirmed" value="1"', 'class="danger"', 'href="/back/"'):
        assert shown in html, shown
