"""A closed year of coverage never changes: importing unions later (the
defect: 2024's 非公有制企业建立职代会 went from 3/5 to 3/7 once 2026's unions were
imported), correcting facts or renaming a union leaves the closed year's
dashboard, drill-down and Excel exactly as they were."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.congress.coverage import CLOSING
from evaluations.congress.models import CoverageYear, OrganisationFacts
from tests.conftest import make_org
from tests.evaluations.congress.test_coverage import known  # noqa: F401 (the fixture)
from workflows.audit import history_of
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import Organisation, OrgKind, Sector

pytestmark = pytest.mark.django_db


def page_of(client, year=2024, **params):
    return client.get(reverse("coverage:dashboard"), {"year": year, **params})


def excel_rows(client, year=2024):
    response = client.get(reverse("coverage:export"), {"year": year})
    return [row for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)]


def test_a_closed_year_never_changes(client, known):  # noqa: F811
    client.force_login(known.admin_d)
    before_page = page_of(client)
    assert before_page.context["may_close"]
    confirm = client.get(reverse("coverage:close_year"), {"year": 2024})
    assert confirm.status_code == 200 and "不能重新打开" in confirm.content.decode()
    before_cards = [(c["target"].code, c["overall_value"], c["overall"].met, c["overall"].base)
                    for c in before_page.context["cards"]]
    before_excel = excel_rows(client)
    before_missing = client.get(reverse("coverage:missing", args=["congress_non_public"]), {"year": 2024})
    assert known.union_b2.name in before_missing.content.decode()

    assert client.post(reverse("coverage:close_year"), {"year": "2024"}).status_code == 302
    closing = CoverageYear.objects.get(district=known.district, year=2024)
    assert history_of(closing).get(action="congress.coverage_year.closed").actor == known.admin_d

    # Later: two non-public unions imported, a fact corrected, a union renamed.
    make_org("新区民企甲工会", "late-1", OrgKind.GRASSROOTS, known.town_a, Sector.NON_PUBLIC)
    make_org("新区民企乙工会", "late-2", OrgKind.GRASSROOTS, known.town_b, Sector.NON_PUBLIC)
    OrganisationFacts.objects.filter(organisation=known.union_b2).update(has_congress=True)
    Organisation.objects.filter(pk=known.town_b.pk).update(name="改名后的乙镇工会")

    after_page = page_of(client)
    assert [(c["target"].code, c["overall_value"], c["overall"].met, c["overall"].base)
            for c in after_page.context["cards"]] == before_cards
    # The work plan's section names the branches as they were (the page's
    # other sections, the evaluations held, are not part of the closing).
    work_plan = after_page.content.decode().split('id="coverage-democratic_evaluations"')[0]
    assert "改名后的乙镇工会" not in work_plan and "甲镇工会" in work_plan
    assert not after_page.context["may_close"]
    assert excel_rows(client) == before_excel
    after_missing = client.get(reverse("coverage:missing", args=["congress_non_public"]), {"year": 2024})
    assert known.union_b2.name in after_missing.content.decode() and "新区民企" not in after_missing.content.decode()
    # An intermediate union's reviewer reads their own row of the closed year.
    client.force_login(known.reviewer_a)
    branch = page_of(client).context["cards"][0]
    assert len(branch["rows"]) == 1
    # An open year still follows the facts.
    client.force_login(known.admin_d)
    assert page_of(client, year=2025).context["closed"] is None


def test_who_closes_what(known):  # noqa: F811
    with pytest.raises(NotAllowed):
        CLOSING.close(district=known.district, year=2024, actor=known.reviewer_d)
    with pytest.raises(RuleViolation):
        CLOSING.close(district=known.district, year=2099, actor=known.admin_d)
    CLOSING.close(district=known.district, year=2024, actor=known.admin_d)
    with pytest.raises(RuleViolation):
        CLOSING.close(district=known.district, year=2024, actor=known.admin_d)


def test_only_the_district_administrator_sees_the_closing_page(client, known):  # noqa: F811
    for user in (known.reviewer_a, known.reviewer_d, known.submitter):
        client.force_login(user)
        assert client.get(reverse("coverage:close_year"), {"year": 2024}).status_code == 404
        assert client.post(reverse("coverage:close_year"), {"year": "2024"}).status_code == 404
    assert not CoverageYear.objects.exists()
