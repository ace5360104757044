"""The coverage figures through the API (/api/v1/figures/coverage/): the
dashboard's own computation and scope, registered by the congress app on
the engine's registry."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.evaluations.congress.test_coverage import known  # noqa: F401 (fixture)
from workflows.api.tokens import do_create_api_token

pytestmark = pytest.mark.django_db


def _api(user):
    _token, secret = do_create_api_token(account=user, name="figures", scope="read", acting_user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_districts_figures_are_the_dashboards(known):
    answer = _api(known.admin_d).get(reverse("api:figures", args=["coverage"]), {"year": 2024})
    assert answer.status_code == 200
    data = answer.json()
    assert data["year"] == 2024 and data["data"]["scope"]["id"] == known.district.pk
    targets = {t["code"]: t for t in data["data"]["targets"]}
    assert targets["mediation_body"]["overall"] == {"met": 3, "base": 4, "value": 75.0, "reached": True}
    assert [r["value"] for r in targets["congress_non_public"]["rows"]] == [100.0, 0.0]
    assert [r["branch"]["id"] for r in targets["congress_non_public"]["rows"]] == [known.town_a.pk, known.town_b.pk]


def test_a_branch_sees_its_own_and_a_union_none(known):
    town = _api(known.reviewer_a).get(reverse("api:figures", args=["coverage"]), {"year": 2024}).json()
    assert town["data"]["scope"]["id"] == known.town_a.pk
    other_branch = _api(known.reviewer_a).get(reverse("api:figures", args=["coverage"]),
                                              {"year": 2024, "branch": known.town_b.pk})
    assert other_branch.status_code == 404
    assert _api(known.chair).get(reverse("api:figures", args=["coverage"])).status_code == 404
    assert _api(known.admin_d).get(reverse("api:figures", args=["coverage"]), {"year": "1900"}).status_code == 400
    assert _api(known.admin_d).get(reverse("api:figures", args=["nothing"])).status_code == 404
