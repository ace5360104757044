"""workflows.quotas.rules_page through the toy campaign's page
(/toy/campaigns/<code>/rules/): the district administrator sets the places
per intermediate union (all or nothing: a refused save comes back with
what was typed and saves nothing), adds and removes mix rules (audited),
and anyone else is refused with the process's words."""

import pytest
from django.conf import settings

from tests.conftest import make_org
from tests.engine.toy.models import ToyCampaign
from workflows.audit import history_of
from workflows.models import MixRule, OrgKind, Quota
from workflows.quotas.selectors import quota_edit_rows
from workflows.quotas.services import quotas_of

URL = "/toy/campaigns/grants-2026/rules/"


@pytest.fixture
def toy_campaign(people):
    return ToyCampaign.objects.create(code="grants-2026", district=people.district)


@pytest.fixture
def town2(people):
    return make_org("乙镇工会", "town2", OrgKind.INTERMEDIATE, people.district)


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _names(campaign):
    """{(intermediate union code, category): input name} of the page's places."""
    return {(row["organisation"].code, cell["kind"]): cell["name"]
            for row in quota_edit_rows(campaign) for cell in row["cells"]}


def _places(campaign):
    return {(q.organisation.code, q.category): q.count for q in quotas_of(campaign).filter(parent__isnull=True)}


def _post_places(client, campaign, values):
    names = _names(campaign)
    data = {"action": "quotas", **{name: "0" for name in names.values()}}
    data.update({names[key]: value for key, value in values.items()})
    return client.post(URL, data)


def test_the_page_shows_each_intermediate_union_and_category(admin_client, toy_campaign, town2):
    response = admin_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("甲镇工会", "乙镇工会", "Small grant", "Large grant", "All sizes",
                 "e.g. Large grants: at most 40 per cent"):
        assert text in page
    assert set(_names(toy_campaign)) == {("town", "small"), ("town", "large"), ("town2", "small"),
                                         ("town2", "large")}


def test_places_saved_all_at_once_and_audited(admin_client, toy_campaign, town2, people):
    response = _post_places(admin_client, toy_campaign, {("town", "small"): "3", ("town2", "large"): "2"})
    assert response.status_code == 302 and response["Location"] == URL
    assert _places(toy_campaign) == {("town", "small"): 3, ("town2", "large"): 2}
    assert history_of(toy_campaign).filter(actor=people.admin).count() == 2


def test_a_refused_save_saves_nothing_and_shows_what_was_typed(admin_client, toy_campaign, town2):
    response = _post_places(admin_client, toy_campaign, {("town", "small"): "3", ("town2", "large"): "zwei"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Places of 乙镇工会: give a whole number." in page
    names = _names(toy_campaign)
    assert f'name="{names[("town2", "large")]}"' in page and 'value="zwei"' in page
    assert 'value="3"' in page
    assert _places(toy_campaign) == {}
    assert not history_of(toy_campaign).exists()


RULE = {"action": "add_rule", "label": "Large grants: at most 40%", "field": "category", "values": ["large"],
        "comparison": "max", "percent": "40", "applies_to_category": ""}


def test_a_rule_is_added_and_removed_with_audit_entries(admin_client, toy_campaign, people):
    response = admin_client.post(URL, RULE)
    assert response.status_code == 302 and response["Location"] == URL
    rule = MixRule.objects.get(scope_id=toy_campaign.pk)
    assert (rule.field, rule.values, rule.comparison, str(rule.percent), rule.applies_to) == (
        "category", ["large"], "max", "40.00", {})
    page = admin_client.get(URL).content.decode()
    assert "The mix rule was added." in page and "Large grants: at most 40%" in page

    response = admin_client.post(URL, {"action": "delete_rule", "rule": str(rule.pk)})
    assert response.status_code == 302
    assert not MixRule.objects.filter(scope_id=toy_campaign.pk).exists()
    assert list(history_of(toy_campaign).values_list("action", flat=True)) == [
        "toy.mix_rule.added", "toy.mix_rule.removed"]
    assert "The mix rule was removed." in admin_client.get(URL).content.decode()


def test_a_rule_counted_among_one_category(admin_client, toy_campaign):
    response = admin_client.post(URL, {**RULE, "values": ["small"], "comparison": "min",
                                       "applies_to_category": "large"})
    assert response.status_code == 302
    assert MixRule.objects.get(scope_id=toy_campaign.pk).applies_to == {"category": "large"}


def test_a_refused_rule_comes_back_with_what_was_typed(admin_client, toy_campaign):
    response = admin_client.post(URL, {**RULE, "label": "Typed label kept", "percent": "140"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved: correct what is marked below." in page
    assert 'value="Typed label kept"' in page
    assert 'value="140"' in page
    assert not MixRule.objects.exists()
    assert not history_of(toy_campaign).exists()


def test_removing_a_rule_of_another_campaign_is_not_found(admin_client, toy_campaign, people):
    other = ToyCampaign.objects.create(code="other", district=people.district)
    from workflows.mixrules.services import rule_create

    rule = rule_create(scope=other, field="category", values=["small"], comparison="min", percent=10,
                       actor=people.admin)
    response = admin_client.post(URL, {"action": "delete_rule", "rule": str(rule.pk)})
    assert response.status_code == 404
    assert MixRule.objects.filter(pk=rule.pk).exists()


@pytest.mark.parametrize("who", ["reviewer", "reviewer_d", "submitter"])
def test_anyone_but_the_district_administrator_is_refused(client, people, toy_campaign, who):
    client.force_login(getattr(people, who))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for response in (client.get(URL), client.post(URL, RULE),
                     client.post(URL, {"action": "quotas", **{n: "5" for n in _names(toy_campaign).values()}})):
        assert response.status_code == 403
        assert "Only the district administrator sets the toy&#x27;s places and rules." in \
            response.content.decode()
    assert not MixRule.objects.exists()
    assert not Quota.objects.exists()
    assert not history_of(toy_campaign).exists()


def test_the_public_is_sent_to_sign_in(client, toy_campaign):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_counted_among_is_offered_only_where_the_service_takes_it(admin_client, toy_campaign, monkeypatch):
    """The rule service counts a rule among a category only where the
    category is one of the mix scheme's fields; where it is not, the page
    does not offer the choice (it would be refused on save)."""
    from types import SimpleNamespace

    from workflows.mixrules.registry import MixField
    from workflows.quotas import rules_page

    assert "Counted among" in admin_client.get(URL).content.decode()  # the toy counts by size
    monkeypatch.setattr(rules_page, "mix_scheme_for", lambda scope: SimpleNamespace(
        fields=lambda campaign: [MixField("grade", "Grade", [("a", "A"), ("b", "B")])]))
    page = admin_client.get(URL).content.decode()
    assert "Grade" in page and "Counted among" not in page
