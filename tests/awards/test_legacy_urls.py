"""The May Day award's old addresses after the carry
(awards/legacy/views.py, docs/mayday-as-kinds.md §3): each moves to its
kinds page for whoever sees the object, and is a 404 for anyone else.
The carry itself is tests/awards/test_carry.py's; here a case of the May
Day kinds remembers the nomination it was carried from, as a carried
case does."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from workflows.steps.decisions import decide

OLD = 4321  # the nomination's id before the carry


@pytest.fixture
def carried(tree, mayday_campaign, make_mayday_case):
    case = make_mayday_case()
    case.carried_from_type = ContentType.objects.get_or_create(app_label="awards", model="nomination")[0]
    case.carried_from_id = OLD
    case.save(update_fields=["carried_from_type", "carried_from_id"])
    decide(decision="confirm", case=case, actor=tree.chair)
    case.refresh_from_db()
    return mayday_campaign, OLD, case


def test_a_nomination_page_moves_to_its_case_for_whoever_sees_it(client, tree, carried):
    _campaign, old, case = carried
    client.force_login(tree.reviewer_a)
    response = client.get(f"/awards/nominations/{old}/")
    assert response.status_code == 301 and response["Location"] == reverse("kinds:case_detail", args=[case.pk])
    response = client.get(f"/awards/nominations/{old}/?id=full")
    assert response["Location"] == reverse("kinds:case_detail", args=[case.pk]) + "?full=1"
    client.force_login(tree.reviewer_b)
    assert client.get(f"/awards/nominations/{old}/").status_code == 404


def test_an_unknown_nomination_is_a_404_not_a_redirect(client, tree, carried):
    client.force_login(tree.admin_d)
    assert client.get("/awards/nominations/987654/").status_code == 404


def test_a_campaign_page_moves_by_its_code(client, tree, carried):
    campaign, _old, _case = carried
    client.force_login(tree.admin_d)
    response = client.get(f"/awards/campaigns/{campaign.code}/")
    assert response.status_code == 301
    assert response["Location"] == reverse("kinds:campaign_detail", args=[campaign.pk])
    response = client.get(f"/awards/campaigns/{campaign.code}/award-list.xlsx")
    assert response["Location"] == reverse("kinds:approved_list", args=[campaign.pk, "xlsx"])


def test_the_list_keeps_its_filters_in_the_kinds_words(client, tree, carried):
    campaign, _old, _case = carried
    client.force_login(tree.reviewer_a)
    response = client.get("/awards/nominations/", {"campaign": campaign.code, "state": "confirmed",
                                                    "kind": "individual", "q": "张"})
    assert response.status_code == 301
    assert response["Location"] == (reverse("kinds:case_list") + f"?campaign={campaign.pk}&state=intermediate"
                                    "&kind=mayday-individual&q=%E5%BC%A0")


def test_an_old_post_goes_to_the_new_page_and_saves_nothing(client, tree, carried):
    _campaign, old, case = carried
    client.force_login(tree.reviewer_a)
    response = client.post(f"/awards/nominations/{old}/", {"decision": "approve"})
    assert response.status_code == 303 and response["Location"] == reverse("kinds:case_detail", args=[case.pk])
    case.refresh_from_db()
    assert case.state == "intermediate"


def test_the_engine_decide_address_of_a_nomination_moves(client, tree, carried):
    _campaign, old, case = carried
    client.force_login(tree.reviewer_a)
    response = client.get(f"/cases/mayday/{old}/decide/")
    assert response.status_code == 301
    assert response["Location"] == reverse("case_decide", args=["kind_case", case.pk])


def test_anonymous_readers_are_asked_to_log_in(client, carried):
    _campaign, old, _case = carried
    response = client.get(f"/awards/nominations/{old}/")
    assert response.status_code == 302 and "login" in response["Location"]


def _bearer(user, scope=None):
    from django.test import Client

    from workflows.api.tokens import do_create_api_token
    from workflows.models import ApiScope

    _token, secret = do_create_api_token(account=user, name="portal", scope=scope or ApiScope.READ, acting_user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_old_api_reads_move_to_the_kinds_process(tree, carried):
    campaign, old, case = carried
    api = _bearer(tree.reviewer_a)
    response = api.get(f"/api/v1/processes/mayday/cases/{old}/")
    assert response.status_code == 308
    assert response["Location"] == reverse("api:case", args=["kind_case", case.pk])
    response = api.get("/api/v1/processes/mayday/cases/", {"campaign": campaign.code, "state": "confirmed"})
    assert response.status_code == 308
    assert response["Location"] == reverse("api:cases", args=["kind_case"]) + (
        f"?campaign={campaign.pk}&state=intermediate")
    assert _bearer(tree.reviewer_b).get(f"/api/v1/processes/mayday/cases/{old}/").status_code == 404


def test_an_old_api_decision_is_translated_by_the_open_step(tree, carried):
    from workflows.models import ApiScope

    _campaign, old, case = carried
    api = _bearer(tree.reviewer_a, ApiScope.DECIDE)
    response = api.post(f"/api/v1/processes/mayday/cases/{old}/decisions/",
                        {"decision": "approve", "version": case.version, "comment": "同意"},
                        content_type="application/json")
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.state == "district"
    # The same old body again is stale: 409, no second effect.
    again = api.post(f"/api/v1/processes/mayday/cases/{old}/decisions/",
                     {"decision": "approve", "version": case.version - 1}, content_type="application/json")
    assert again.status_code == 409
    case.refresh_from_db()
    assert case.state == "district"


def test_the_final_decisions_translate_to_the_versions_outcomes():
    from types import SimpleNamespace

    from awards.legacy.api import translated

    case = SimpleNamespace(state="deciding", outcomes=[{"value": "granted", "positive": True},
                                                      {"value": "refused", "positive": False}])
    assert translated(case, "award") == "outcome_1" and translated(case, "decline") == "outcome_2"
    assert translated(case, "return") == "return"
    assert translated(SimpleNamespace(state="confirming", outcomes=[]), "approve") == "confirm"
    assert translated(SimpleNamespace(state="district", outcomes=[]), "approve") == "approve"


# Every route of May Day's URLconf as it was (name, address).
OLD_ROUTES = [
    ("campaign_list", ""), ("campaign_create", "campaigns/new/"), ("campaign_detail", "campaigns/<slug:code>/"),
    ("campaign_rules", "campaigns/<slug:code>/rules/"), ("award_list", "campaigns/<slug:code>/award-list/"),
    ("award_list_pdf", "campaigns/<slug:code>/award-list.pdf"),
    ("award_list_xlsx", "campaigns/<slug:code>/award-list.xlsx"), ("nomination_list", "nominations/"),
    ("nomination_create", "nominations/new/"), ("nomination_detail", "nominations/<int:pk>/"),
    ("nomination_edit", "nominations/<int:pk>/edit/"),
    ("attachment_download", "nominations/<int:case_pk>/attachments/<int:old_pk>/"),
    ("certificate_download", "nominations/<int:pk>/certificate/"),
    ("notice_open", "campaigns/<slug:code>/notice/open/"), ("share_quota", "campaigns/<slug:code>/share-places/"),
    ("signoff", "nominations/<int:pk>/signoff/"), ("bulk_decide", "nominations/bulk/"),
    ("recommendation_form", "nominations/<int:pk>/recommendation-form.pdf"),
    ("public_notice", "campaigns/<slug:code>/public-notice.pdf"),
    ("print_certificates", "campaigns/<slug:code>/print/"), ("certificate_reissue", "certificates/<int:pk>/reissue/"),
]


def test_every_old_address_is_served_by_a_legacy_view():
    """Every route of May Day's URLconf answers at the same address (the
    names stay, so reverse("awards:…") keeps working) with a legacy view,
    and the engine's address of a nomination is the legacy one."""
    from django.urls import resolve

    from awards.legacy import api, views

    for name, route in OLD_ROUTES:
        address = "/awards/" + route.replace("<slug:code>", "mayday-2024").replace("<int:case_pk>", "7").replace(
            "<int:old_pk>", "8").replace("<int:pk>", "9")
        match = resolve(address)
        assert (match.view_name, match.func.__module__) == (f"awards:{name}", views.__name__)
    assert resolve("/cases/mayday/7/decide/").func.__module__ == views.__name__
    assert resolve("/api/v1/processes/mayday/cases/7/decisions/").func.__module__ == api.__name__
