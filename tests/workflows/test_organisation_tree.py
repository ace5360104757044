"""The organisation tree page: every unit of the district with its role
holders, vacancies flagged, filtered, exported to a printable workbook;
only the district's administrator reads it, at a cost that does not grow
with the tree."""

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from awards.roles import Role
from tests.conftest import make_org, make_user
from workflows.models import OrgKind


def test_holders_by_role_and_vacancies(client, tree):
    # union_a2 has neither a submitter nor a chair; union_a1 has both.
    client.force_login(tree.admin_d)
    page = client.get(reverse("organisation_tree"))
    assert page.status_code == 200
    rows = {row.organisation.code: row for row in page.context["page_obj"].object_list}
    a1, a2 = rows[tree.union_a1.code], rows[tree.union_a2.code]
    assert not a1.vacancies
    assert {label for label, _users in a1.holders} >= {"工会主席", "经办人"}
    assert set(a2.vacancies) == {"工会主席", "经办人"}
    assert rows[tree.union_a1.code].depth == 2 and rows[tree.town_a.code].depth == 1

    vacant = client.get(reverse("organisation_tree"), {"vacant": "1"}).context["page_obj"].object_list
    assert tree.union_a2.code in {r.organisation.code for r in vacant}
    assert tree.union_a1.code not in {r.organisation.code for r in vacant}
    found = client.get(reverse("organisation_tree"), {"q": tree.union_b1.code}).context["page_obj"].object_list
    assert [r.organisation.code for r in found] == [tree.union_b1.code]


def test_a_deactivated_holder_leaves_a_vacancy(client, tree):
    tree.chair.is_active = False
    tree.chair.save()
    client.force_login(tree.admin_d)
    rows = {r.organisation.code: r for r in client.get(reverse("organisation_tree")).context["page_obj"].object_list}
    assert "工会主席" in rows[tree.union_a1.code].vacancies
    assert "已停用" in client.get(reverse("organisation_tree")).content.decode()


def test_only_the_district_administrator_sees_it(client, tree):
    for user in (tree.reviewer_d, tree.reviewer_a, tree.submitter):
        client.force_login(user)
        assert client.get(reverse("organisation_tree")).status_code == 404
        assert client.get(reverse("organisation_tree_xlsx")).status_code == 404


def test_the_workbook_prints_with_its_header_on_every_page(client, tree):
    client.force_login(tree.admin_d)
    response = client.get(reverse("organisation_tree_xlsx"), {"vacant": "1"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]][:3] == ["层级", "编码", "单位名称"]
    codes = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert tree.union_a2.code in codes and tree.union_a1.code not in codes
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.freeze_panes == "A2"
    assert tree.district.name in ws.oddHeader.center.text


def test_the_page_costs_the_same_at_any_size(client, tree):
    client.force_login(tree.admin_d)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("organisation_tree")).status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    for i in range(30):
        org = make_org(f"新单位{i}", f"new-{i}", OrgKind.GRASSROOTS, tree.town_b)
        make_user(f"new_chair_{i}", (org, Role.CHAIR))
    assert queries() == small


def test_the_account_list_shows_units_roles_and_status(client, tree):
    tree.reviewer_b.is_active = False
    tree.reviewer_b.save()
    client.force_login(tree.admin_d)
    page = client.get(reverse("account_list")).content.decode()
    assert f"{tree.union_a1.name} · 工会主席" in page
    assert "已停用" in page and "正常" in page
