"""Coverage figures on a small known tree (exact percentages), the
branch scope, the drill-down, the exports, and the dashboard's constant
number of queries."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.congress.coverage import coverage, not_counted
from evaluations.congress.models import OrganisationFacts, Report
from tests.conftest import make_org
from workflows.models import Organisation, OrgKind, Sector

pytestmark = pytest.mark.django_db

YES = dict(has_congress=True, above_size_threshold=True, collective_contract=True, wage_bargaining=True,
           mediation_body=True, women_special_contract=True, standardised=True)


@pytest.fixture
def known(tree, open_period):
    t = tree
    t.union_a3 = make_org("甲三民企工会", "union-a3", OrgKind.GRASSROOTS, t.town_a, Sector.NON_PUBLIC)
    t.union_b2 = make_org("乙二民企工会", "union-b2", OrgKind.GRASSROOTS, t.town_b, Sector.NON_PUBLIC)
    t.union_b3 = make_org("乙三集体企业工会", "union-b3", OrgKind.GRASSROOTS, t.town_b, Sector.COLLECTIVE)
    OrganisationFacts.objects.create(organisation=t.union_a1, **YES, union_founded_year=2024,
                                     democratic_evaluation_on=datetime.date(2024, 5, 1))
    OrganisationFacts.objects.create(organisation=t.union_a3, has_congress=True, above_size_threshold=True,
                                     union_founded_year=2023)
    OrganisationFacts.objects.create(organisation=t.union_b2, above_size_threshold=True, collective_contract=True,
                                     mediation_body=True, union_founded_year=2024,
                                     democratic_evaluation_on=datetime.date(2023, 11, 1))
    OrganisationFacts.objects.create(organisation=t.union_a2, standardised=True, mediation_body=True,
                                     collective_contract=True, women_special_contract=True,
                                     democratic_evaluation_on=datetime.date(2024, 3, 1))
    OrganisationFacts.objects.create(organisation=t.union_b1, democratic_evaluation_on=datetime.date(2024, 6, 1))
    # union_b3 has no facts at all: it counts in the bases it belongs to, never as meeting a target.
    period = open_period(sectors=[Sector.NON_PUBLIC])
    tz = datetime.timezone(datetime.timedelta(hours=8))
    Report.objects.filter(period=period, organisation=t.union_a1).update(
        first_submitted_at=datetime.datetime(2024, 7, 20, 10, tzinfo=tz))
    Report.objects.filter(period=period, organisation=t.union_a3).update(
        first_submitted_at=datetime.datetime(2024, 8, 1, 10, tzinfo=tz))
    return t


def figures(scope, year=2024):
    data = coverage(scope, year, today=datetime.date(2026, 12, 1))
    out = {}
    for entry in data["targets"]:
        out[entry["target"].code] = (entry["overall"].value, [f.value for _k, f in entry["rows"]])
    return out


def test_exact_figures_for_the_district(known):
    f = figures(known.district)
    D = Decimal
    assert f["congress_non_public"] == (D("66.7"), [D("100.0"), D("0.0")])
    assert f["collective_contract"] == (D("66.7"), [D("50.0"), D("100.0")])
    assert f["wage_bargaining"] == (D("33.3"), [D("50.0"), D("0.0")])
    assert f["mediation_body"] == (D("75.0"), [D("66.7"), D("100.0")])
    assert f["women_special_contract"] == (D("66.7"), [D("100.0"), D("0.0")])
    assert f["standardised_public"] == (D("50.0"), [D("100.0"), D("0.0")])
    assert f["standardised_non_public"] == (D("33.3"), [D("50.0"), D("0.0")])
    assert f["new_unions"] == (D(2), [D(1), D(1)])
    assert f["democratic_evaluation"] == (D("50.0"), [D("66.7"), D("33.3")])
    assert f["reports_on_time"] == (D("33.3"), [D("50.0"), D("0.0")])
    data = coverage(known.district, 2024, today=datetime.date(2026, 12, 1))
    reached = {e["target"].code: e["overall"].reached for e in data["targets"]}
    assert reached["mediation_body"] is True and reached["congress_non_public"] is True
    assert reached["wage_bargaining"] is True  # 33.3 against 30
    assert reached["democratic_evaluation"] is False and reached["new_unions"] is False


def test_an_intermediate_union_sees_its_branch_only(known):
    f = figures(known.town_a)
    assert f["congress_non_public"] == (Decimal("100.0"), [Decimal("100.0")])
    assert f["democratic_evaluation"] == (Decimal("66.7"), [Decimal("66.7")])


def test_drill_down_lists_the_unions_not_counted(known):
    today = datetime.date(2026, 12, 1)
    assert [o.code for o in not_counted(known.district, "congress_non_public", 2024, today)] == ["union-b2"]
    assert {o.code for o in not_counted(known.district, "standardised_public", 2024, today)} == {"union-b3"}
    assert {o.code for o in not_counted(known.district, "reports_on_time", 2024, today)} == {"union-a3", "union-b2"}
    assert {o.code for o in not_counted(known.town_a, "democratic_evaluation", 2024, today)} == {"union-a3"}
    assert {o.code for o in not_counted(known.district, "new_unions", 2024, today)} == {"union-a1", "union-b2"}


def test_dashboard_pages_and_scope(client, known):
    client.force_login(known.admin_d)
    response = client.get("/coverage/?year=2024")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and "<script" not in page and "66.7%" in page
    assert client.get(f"/coverage/?year=2024&branch={known.town_b.pk}").status_code == 200
    missing = client.get(reverse("coverage:missing", args=["congress_non_public"]) + "?year=2024").content.decode()
    assert known.union_b2.name in missing and known.union_a1.name not in missing

    client.force_login(known.reviewer_a)
    assert client.get("/coverage/?year=2024").status_code == 200
    assert client.get(f"/coverage/?branch={known.town_b.pk}").status_code == 404
    assert client.get(f"/coverage/?branch={known.district.pk}").status_code == 404
    assert client.get(f"/coverage/congress_non_public/?branch={known.town_b.pk}").status_code == 404
    assert client.get(f"/coverage/export.xlsx?branch={known.town_b.pk}").status_code == 404
    client.force_login(known.submitter)
    assert client.get("/coverage/").status_code == 404


def test_excel_export_and_command(client, known, tmp_path):
    client.force_login(known.admin_d)
    response = client.get("/coverage/export.xlsx?year=2024")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["非公有制企业建立职代会"][1:7] == (50, "百分比", 2, 3, 66.7, "是")
    output = tmp_path / "coverage.xlsx"
    call_command("export_coverage", year=2024, format="xlsx", output=str(output))
    sheet = load_workbook(output).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["规模以上非公有制企业开展工资集体协商"][5] == 33.3


def grow(tree, count):
    """`count` non-public grassroots unions, half under each town, with facts
    (bulk: the paths are set as Organisation.save would)."""
    start = Organisation.objects.count()
    orgs = Organisation.objects.bulk_create([
        Organisation(name=f"企业{start + i}工会", code=f"bulk-{start + i}", kind=OrgKind.GRASSROOTS,
                     sector=Sector.NON_PUBLIC, parent=tree.town_a if i % 2 else tree.town_b)
        for i in range(count)
    ])
    if not all(o.pk for o in orgs):
        orgs = list(Organisation.objects.filter(code__startswith="bulk-", path=""))
    for org in orgs:
        org.path = (tree.town_a.path if org.parent_id == tree.town_a.pk else tree.town_b.path) + f"{org.pk}/"
    Organisation.objects.bulk_update(orgs, ["path"])
    OrganisationFacts.objects.bulk_create([
        OrganisationFacts(organisation=o, has_congress=bool(i % 3), above_size_threshold=True,
                          union_founded_year=2024 if i % 5 == 0 else 2010)
        for i, o in enumerate(orgs)
    ])


def dashboard_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/coverage/?year=2024")
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_dashboard_queries_do_not_grow_with_organisations(client, tree):
    client.force_login(tree.admin_d)
    grow(tree, 10 - 3)  # the tree holds 3 grassroots unions
    assert Organisation.objects.filter(kind=OrgKind.GRASSROOTS).count() == 10
    small, response = dashboard_queries(client)
    grow(tree, 490)
    assert Organisation.objects.filter(kind=OrgKind.GRASSROOTS).count() == 500
    large, response = dashboard_queries(client)
    assert large == small
    data = coverage(tree.district, 2024)
    new_unions = next(e for e in data["targets"] if e["target"].code == "new_unions")
    assert new_unions["overall"].met == 2 + 98  # every fifth of each batch
