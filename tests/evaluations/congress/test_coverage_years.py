"""A past year's coverage keeps to that year (issue 21): the figures of a
year count the unions that were in the tree that year with their facts of
that year. Importing unions and their facts in a later year leaves an open
past year's figures and Excel as they were, and a closed year's too; the
Excel of a year says what its page says. Facts are kept per (union, year)."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from evaluations.congress.coverage import CLOSING
from evaluations.congress.coverage import coverage, not_counted
from evaluations.congress.facts import FACTS, do_import_facts, do_update_facts
from evaluations.congress.models import OrganisationFacts
from tests.evaluations.congress.test_coverage import known  # noqa: F401 (the fixture)
from tests.workflows.test_district_import import workbook_bytes
from workflows.models import Organisation
from workflows.organisations import imports

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
CLOSED, OPEN_PAST = THIS_YEAR - 2, THIS_YEAR - 1


def cards(client, year):
    page = client.get(reverse("coverage:dashboard"), {"year": year})
    assert page.status_code == 200
    return [(c["target"].code, c["overall_value"], c["overall"].met, c["overall"].base,
             [(f.met, f.base) for _b, f, _v in c["rows"]]) for c in page.context["cards"]]


def excel_rows(client, year):
    response = client.get(reverse("coverage:export"), {"year": year})
    assert response.status_code == 200
    return [list(row) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]


def figure_rows(rows):
    """The rows below the heading row (the sheet starts with a caption)."""
    heading = next(i for i, row in enumerate(rows) if row[0] == "目标")
    return rows[heading + 1:]


def facts_sheet(rows):
    wb = Workbook()
    wb.active.append(["组织代码", "建立职代会", "规模以上", "签订集体合同"])
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "facts.xlsx"
    return out


def import_two_non_public_unions(known):  # noqa: F811
    """This year: two non-public unions imported into the tree, their facts
    imported, and a fact of an old union corrected."""
    orgs = [["late-1", "新区民企甲工会", "基层工会", "town-a", "非公有制企业"],
            ["late-2", "新区民企乙工会", "基层工会", "town-b", "非公有制企业"]]
    imports.do_import_district(data=workbook_bytes(orgs, []), district=known.district, actor=known.admin_d)
    assert Organisation.objects.get(code="late-1").established_on == timezone.localdate()
    result, errors = do_import_facts(upload=facts_sheet([["late-1", "是", "是", "是"], ["late-2", "否", "是", "否"]]),
                                     actor=known.admin_d)
    assert errors == [] and result == {"updated": 2}
    do_update_facts(organisation=known.union_b2, values={"has_congress": True}, actor=known.admin_d)


def test_importing_unions_later_leaves_a_closed_and_an_open_past_year_unchanged(client, known):  # noqa: F811
    client.force_login(known.admin_d)
    CLOSING.close(district=known.district, year=CLOSED, actor=known.admin_d)
    before = {year: (cards(client, year), excel_rows(client, year)) for year in (CLOSED, OPEN_PAST)}
    this_year_before = cards(client, THIS_YEAR)
    congress = dict((c[0], c) for c in before[OPEN_PAST][0])["congress_non_public"]
    assert (congress[2], congress[3]) == (2, 3)  # a1 and a3 of a1, a3, b2

    import_two_non_public_unions(known)

    for year in (CLOSED, OPEN_PAST):
        assert cards(client, year) == before[year][0], year
        assert excel_rows(client, year) == before[year][1], year
    # The open past year's drill-down does not list this year's unions either.
    missing = client.get(reverse("coverage:missing", args=["congress_non_public"]), {"year": OPEN_PAST})
    assert known.union_b2.name in missing.content.decode() and "新区民企" not in missing.content.decode()
    # This year counts them, with the facts stated this year.
    now = dict((c[0], c) for c in cards(client, THIS_YEAR))
    assert this_year_before != cards(client, THIS_YEAR)
    assert (now["congress_non_public"][2], now["congress_non_public"][3]) == (4, 5)  # + late-1 and b2


def test_a_past_years_excel_says_what_its_page_says(client, known):  # noqa: F811
    client.force_login(known.admin_d)
    import_two_non_public_unions(known)
    for year in (OPEN_PAST, THIS_YEAR):
        page = {c[0]: c for c in cards(client, year)}
        rows = figure_rows(excel_rows(client, year))
        labels = client.get(reverse("coverage:dashboard"), {"year": year}).context["cards"]
        assert len(rows) == len(labels) == 10
        for card, row in zip(labels, rows):
            code = card["target"].code
            assert row[0] == card["target"].label
            assert row[3] == page[code][2]  # counted
            if card["target"].unit == "percent":
                assert row[4] == page[code][3]  # base
                shown = row[5].value if hasattr(row[5], "value") else row[5]
                assert shown == page[code][1]  # the figure (a plain number, as on the page)


def test_facts_are_kept_per_year(known):  # noqa: F811
    union = known.union_b2  # non-public, no workers' congress so far (facts stated without a year)
    do_update_facts(organisation=union, values={"has_congress": True}, actor=known.admin_d, year=2025)
    do_update_facts(organisation=union, values={"has_congress": False, "wage_bargaining": True},
                    actor=known.admin_d, year=2026)
    assert OrganisationFacts.objects.filter(organisation=union).count() == 3
    assert FACTS.facts_of(union, 2024).has_congress is False  # the facts from before
    assert FACTS.facts_of(union, 2025).has_congress is True
    assert FACTS.facts_of(union, 2025).collective_contract is True  # carried from the earlier row
    assert FACTS.facts_of(union, 2026).has_congress is False and FACTS.facts_of(union, 2026).wage_bargaining is True
    assert FACTS.facts_of(union, 2027).wage_bargaining is True  # holds until stated otherwise

    def met(year):
        data = coverage(known.district, year, today=datetime.date(2026, 12, 1))
        return {e["target"].code: e["overall"].met for e in data["targets"]}

    assert (met(2024)["congress_non_public"], met(2025)["congress_non_public"],
            met(2026)["congress_non_public"]) == (2, 3, 2)
    assert met(2024)["wage_bargaining"] == 1 and met(2026)["wage_bargaining"] == 2
    assert union not in not_counted(known.district, "congress_non_public", 2025)
    assert union in not_counted(known.district, "congress_non_public", 2026)


def test_a_dissolved_union_leaves_the_years_after(known):  # noqa: F811
    Organisation.objects.filter(pk=known.union_b2.pk).update(dissolved_on=datetime.date(2025, 3, 1))
    bases = {year: {e["target"].code: e["overall"].base for e in coverage(known.district, year)["targets"]}
             for year in (2025, 2026)}
    assert bases[2025]["congress_non_public"] == 3 and bases[2026]["congress_non_public"] == 2


def test_the_facts_pages_show_and_state_one_year(client, known):  # noqa: F811
    client.force_login(known.admin_d)
    url = reverse("congress:facts_edit", args=[known.union_b2.pk])
    response = client.post(f"{url}?year=2025", {"above_size_threshold": "on", "has_congress": "on",
                                                 "collective_contract": "on", "mediation_body": "on"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2025")
    assert FACTS.facts_of(known.union_b2, 2025).has_congress and not FACTS.facts_of(known.union_b2, 2024).has_congress
    listed = client.get(reverse("congress:facts_list"), {"year": 2024, "q": "乙二"})
    rows = {o.code: o.year_facts for o in listed.context["page_obj"].object_list}
    assert rows["union-b2"].has_congress is False
    rows = {o.code: o.year_facts for o in client.get(reverse("congress:facts_list"),
                                                     {"year": 2025}).context["page_obj"].object_list}
    assert rows["union-b2"].has_congress is True
    sheet = load_workbook(io.BytesIO(client.get(reverse("congress:facts_export"), {"year": 2024}).content)).active
    b2 = [row for row in sheet.iter_rows(values_only=True) if row[0] == "union-b2"][0]
    assert b2[4] == "否"  # 建立职代会 in 2024


def test_the_migration_dates_an_organisation_from_its_added_entry(known):  # noqa: F811
    """Organisations added through the admin before the dates were kept get
    the day of their "added" audit entry; the others stay undated."""
    import importlib

    from django.apps import apps

    from workflows.audit import log_action
    from workflows.organisations.tree_changes import CREATED

    migration = importlib.import_module("workflows.migrations.0019_organisation_established_and_dissolved")
    Organisation.objects.update(established_on=None)
    entry = log_action(known.union_b3, CREATED, actor=known.admin_d, organisation=known.union_b3)
    migration.date_from_the_audit_log(apps, None)
    assert Organisation.objects.get(pk=known.union_b3.pk).established_on == timezone.localdate(entry.created)
    assert Organisation.objects.get(pk=known.union_b2.pk).established_on is None
