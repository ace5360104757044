"""The engine's case list page, run on the toy process alone: the cases
are the process's selector's (a branch sees its own), filtered by state,
organisation and search, paged, counted in a constant number of queries,
and exported to a workbook of the filtered rows with typed cells and the
print set-up of every export."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.conftest import make_org, make_user
from tests.engine.toy.models import ToyCase
from tests.engine.toy.models import ToyState as S
from workflows.models import OrgKind

URL = "/toy/"


def _cases(people, count, org=None, prefix="甲"):
    ToyCase.objects.bulk_create(
        ToyCase(title=f"{prefix}{i:03d}", organisation=org or people.unit, created_by=people.submitter)
        for i in range(count)
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_rows_shown(people, client):
    client.force_login(people.reviewer)
    _cases(people, 10)
    client.get(URL)  # warm the per-process caches (content types)
    ten = _queries(client, URL)
    assert len(client.get(URL).context["rows"]) == 10
    _cases(people, 90, prefix="乙")
    hundred = _queries(client, URL)
    assert len(client.get(URL).context["rows"]) == 100
    assert hundred == ten


def test_a_branch_sees_its_own_cases_and_a_filter_outside_it_reveals_nothing(people, client):
    other = make_org("乙镇工会", "town-b", OrgKind.INTERMEDIATE, people.district)
    other_unit = make_org("乙一厂工会", "unit-b", OrgKind.GRASSROOTS, other)
    make_user("reviewer_b", (other, "reviewer"))
    _cases(people, 2, prefix="甲")
    _cases(people, 3, org=other_unit, prefix="乙")

    client.force_login(people.reviewer)
    page = client.get(URL)
    assert [r["case"].title for r in page.context["rows"]] == ["甲000", "甲001"]
    # Another branch's union is no choice: the filter is ignored, its cases stay hidden.
    html = client.get(URL, {"organisation": other_unit.pk}).content.decode()
    assert "乙000" not in html and "甲000" in html

    client.force_login(people.reviewer_d)
    assert client.get(URL).context["page_obj"].paginator.count == 5
    assert client.get(URL, {"organisation": other_unit.pk}).context["page_obj"].paginator.count == 3


def test_filters_search_state_and_paging(people, journey, client):
    submitted = journey.submitted(title="已提交的申请")
    _cases(people, 120)
    client.force_login(people.reviewer)
    first = client.get(URL)
    html = first.content.decode()
    assert first.context["page_obj"].paginator.count == 121 and len(first.context["rows"]) == 100
    assert f'<a href="{submitted.get_absolute_url()}">已提交的申请</a>' in html
    assert '<span class="badge submitted">' in html and 'name="state"' in html
    assert len(client.get(URL, {"page": 2}).context["rows"]) == 21
    # The pager keeps the filters.
    assert "state=draft&amp;page=2" in client.get(URL, {"state": "draft"}).content.decode()
    assert [r["case"] for r in client.get(URL, {"state": S.SUBMITTED}).context["rows"]] == [submitted]
    assert [r["case"].title for r in client.get(URL, {"q": "甲007"}).context["rows"]] == ["甲007"]
    assert client.get(URL, {"q": "甲一厂"}).context["page_obj"].paginator.count == 121  # the unit's name
    # A value outside the choices is ignored, not an error.
    assert client.get(URL, {"state": "nonsense"}).context["page_obj"].paginator.count == 121


def test_the_workbook_holds_every_filtered_row_typed_and_printable(people, journey, client):
    journey.submitted(title="已提交的申请")
    _cases(people, 30)
    client.force_login(people.reviewer)
    response = client.get(URL, {"state": S.DRAFT, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Title", "Number", "Unit", "状态")  # the engine's label, in Chinese by default
    assert len(rows) == 1 + 30 and rows[1][0] == "甲000" and rows[1][3] == "draft"
    assert all(isinstance(row[1], int) for row in rows[1:])  # numbers stay numbers
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage


def test_the_list_asks_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]
