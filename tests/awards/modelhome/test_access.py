"""The access matrix of the model-home pages. The case belongs to
union_a1 (town A's branch): its unit, the reviewers above it, the district
and its assigned inspectors see it; another unit (even the sub-union below
it), the other branch, an inspector not assigned and outsiders get 404;
people who see it but may not do this get 403; anonymous visitors are sent
to log in."""

from decimal import Decimal

import pytest
from django.urls import reverse

from awards.modelhome.models import Title
from workflows.steps.decisions import decide

from .conftest import fill, score, through_notice, to_inspection

PERSONAS = ["submitter", "sub_submitter", "submitter_b", "reviewer_a", "reviewer_b", "reviewer_d", "admin_d",
            "inspector_1", "inspector_3", "outsider"]

# view name: expected status per persona, in PERSONAS order, on an
# application being inspected (inspector_1 has submitted, inspector_2 not).
INSPECTING = {
    "application_detail": [200, 404, 404, 200, 404, 200, 200, 200, 404, 404],
    "inspection_edit": [404, 404, 404, 404, 404, 404, 404, 200, 404, 404],
    "inspection_download": [404, 404, 404, 404, 404, 200, 200, 200, 404, 404],
    "compare": [403, 404, 404, 403, 404, 200, 200, 403, 404, 404],
    # The engine's decision page: the open step is the inspectors' (the
    # district may not take it: 403); inspector_1 has answered (409).
    "decide": [403, 404, 404, 403, 404, 403, 403, 409, 404, 404],
    "assign": [403, 404, 404, 403, 404, 403, 200, 403, 404, 404],
    "application_edit": [302, 404, 404, 403, 404, 403, 403, 403, 404, 404],
}
DRAFT = {
    "application_detail": [200, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    "application_edit": [200, 404, 404, 404, 404, 404, 404, 404, 404, 404],
}
TITLE = {
    "title_detail": [200, 404, 404, 200, 404, 200, 200, 404, 404, 404],
    # The engine's document view serves the copy (tests/workflows/test_document_access.py).
    "title_certificate": [302, 404, 404, 302, 404, 302, 302, 404, 404, 404],
}


def _expectations(table):
    for view, statuses in table.items():
        for persona, status in zip(PERSONAS, statuses):
            yield view, persona, status


@pytest.fixture
def inspecting(mh):
    application = to_inspection(mh, fill(mh))
    score(mh, application, mh.inspector_1)
    return application


@pytest.mark.parametrize("view, persona, status", list(_expectations(INSPECTING)))
def test_inspecting_application(mh, inspecting, client, view, persona, status):
    client.force_login(getattr(mh, persona))
    assert client.get(reverse(f"modelhome:{view}", args=[inspecting.pk])).status_code == status


@pytest.mark.parametrize("view, persona, status", list(_expectations(DRAFT)))
def test_draft_is_the_units_own(mh, client, view, persona, status):
    draft = fill(mh, submit=False)
    client.force_login(getattr(mh, persona))
    assert client.get(reverse(f"modelhome:{view}", args=[draft.pk])).status_code == status


@pytest.mark.parametrize("view, persona, status", list(_expectations(TITLE)))
def test_title_pages(mh, client, view, persona, status):
    application = to_inspection(mh, fill(mh))
    score(mh, application, mh.inspector_1, scale=Decimal("0.95"))
    score(mh, application, mh.inspector_2, scale=Decimal("0.95"))
    through_notice(mh, application)
    decide(case=application, actor=mh.admin_d, decision="model")
    title = Title.objects.get()
    client.force_login(getattr(mh, persona))
    assert client.get(reverse(f"modelhome:{view}", args=[title.pk])).status_code == status


def test_lists_show_only_what_each_may_see(mh, inspecting, client):
    other = fill(mh, org=mh.sub_a1, submitter=mh.sub_submitter)
    for persona, sees_a1, sees_sub in [("submitter", True, False), ("sub_submitter", False, True),
                                       ("reviewer_a", True, True), ("reviewer_b", False, False),
                                       ("inspector_1", True, False), ("inspector_3", False, False),
                                       ("admin_d", True, True), ("outsider", False, False)]:
        client.force_login(getattr(mh, persona))
        page = client.get(reverse("modelhome:application_list")).content.decode()
        assert (f'/applications/{inspecting.pk}/"' in page) == sees_a1, persona
        assert (f'/applications/{other.pk}/"' in page) == sees_sub, persona


def test_anonymous_visitors_are_sent_to_log_in(mh, inspecting, client):
    for view in ("application_detail", "inspection_edit", "compare", "decide", "inspection_download"):
        response = client.get(reverse(f"modelhome:{view}", args=[inspecting.pk]))
        assert response.status_code == 302 and "login" in response["Location"], view
    for view in ("register", "register_xlsx", "application_list", "index", "standard_list"):
        assert client.get(reverse(f"modelhome:{view}")).status_code == 302, view


def test_posts_outside_ones_reach_change_nothing(mh, inspecting, client):
    fresh = fill(mh, org=mh.union_b1, submitter=mh.submitter_b)
    client.force_login(mh.reviewer_a)  # town A's reviewer, the case is town B's
    assert client.post(reverse("modelhome:application_review", args=[fresh.pk]),
                       {"decision": "recommend", "version": fresh.version}).status_code == 404
    client.force_login(mh.inspector_3)
    assert client.post(reverse("modelhome:inspection_edit", args=[inspecting.pk]), {"action": "submit"}
                       ).status_code == 404
    fresh.refresh_from_db()
    assert fresh.state == "submitted"


def test_another_districts_campaign_is_not_found(mh, client):
    """Found by the access matrix: a campaign of another district was shown
    (and listed) to everyone logged in."""
    from awards.modelhome.models import Campaign
    from tests.conftest import make_org, make_user

    other = make_org("另一区总工会", "other-district", "district")
    other_admin = make_user("admin_other", (other, "district_admin"))
    elsewhere = Campaign.objects.create(code="model-home-elsewhere", year=2024, title="另一区模范职工之家评选",
                                        district=other, standard_version=mh.campaign.standard_version)
    for persona in ("admin_d", "reviewer_a", "submitter", "outsider"):
        client.force_login(getattr(mh, persona))
        assert client.get(reverse("modelhome:campaign_detail", args=[elsewhere.code])).status_code == 404, persona
        assert client.get(reverse("modelhome:application_create", args=[elsewhere.code])).status_code == 404
        assert elsewhere.title not in client.get(reverse("modelhome:index")).content.decode(), persona
    client.force_login(other_admin)
    assert client.get(reverse("modelhome:campaign_detail", args=[elsewhere.code])).status_code == 200
    assert client.get(reverse("modelhome:campaign_detail", args=[mh.campaign.code])).status_code == 404
