"""The district administrator's page for places and mix rules."""

from django.urls import reverse

from awards.mayday.models import AwardKind
from workflows.models import Quota
from workflows.mixrules import rules_of as mix_rules_of
from workflows.models import AuditEntry


def url(campaign):
    return reverse("awards:campaign_rules", args=[campaign.code])


def test_only_the_district_administrator_may_open_it(tree, campaign, client):
    client.force_login(tree.reviewer_d)
    assert client.get(url(campaign)).status_code == 403
    client.force_login(tree.outsider)
    assert client.get(url(campaign)).status_code == 404
    client.logout()
    assert client.get(url(campaign)).status_code == 302
    client.force_login(tree.admin_d)
    assert client.get(url(campaign)).status_code == 200


def quota_post(tree, campaign, **counts):
    data = {"action": "quotas"}
    for org in (tree.town_a, tree.town_b):
        for kind in campaign.kinds:
            data[f"quota-{org.pk}-{kind}"] = "3"
    data.update(counts)
    return data


def test_changing_places_goes_through_the_service_and_is_audited(tree, campaign, client):
    client.force_login(tree.admin_d)
    field = f"quota-{tree.town_a.pk}-{AwardKind.INDIVIDUAL}"
    response = client.post(url(campaign), quota_post(tree, campaign, **{field: "7"}))
    assert response.status_code == 302
    assert Quota.objects.get(awards_campaign=campaign, organisation=tree.town_a, category=AwardKind.INDIVIDUAL).count == 7
    assert AuditEntry.objects.filter(action="awards.quota.set", actor=tree.admin_d).count() == 1


def test_a_bad_number_keeps_what_was_typed_and_changes_nothing(tree, campaign, client):
    client.force_login(tree.admin_d)
    good = f"quota-{tree.town_a.pk}-{AwardKind.INDIVIDUAL}"
    bad = f"quota-{tree.town_b.pk}-{AwardKind.UNIT}"
    response = client.post(url(campaign), quota_post(tree, campaign, **{good: "9", bad: "many"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="many"' in page and 'value="9"' in page
    # All or nothing: the good number was not saved either.
    assert Quota.objects.get(awards_campaign=campaign, organisation=tree.town_a, category=AwardKind.INDIVIDUAL).count == 3
    assert not AuditEntry.objects.filter(action="awards.quota.set").exists()


def test_add_and_remove_a_mix_rule(tree, campaign, client):
    client.force_login(tree.admin_d)
    response = client.post(url(campaign), {
        "action": "add_rule", "label": "一线职工不少于60%", "field": "candidate_category",
        "values": ["front_line"], "comparison": "min", "percent": "60", "applies_to_kind": "individual",
    })
    assert response.status_code == 302
    rule = mix_rules_of(campaign).get()
    assert rule.values == ["front_line"] and rule.applies_to == {"kind": "individual"} and rule.percent == 60

    # A value that does not belong to the chosen field is refused, nothing added.
    response = client.post(url(campaign), {
        "action": "add_rule", "label": "错配", "field": "sector", "values": ["front_line"],
        "comparison": "min", "percent": "10",
    })
    assert response.status_code == 200 and mix_rules_of(campaign).count() == 1
    assert "错配" in response.content.decode()

    assert client.post(url(campaign), {"action": "delete_rule", "rule": rule.pk}).status_code == 302
    assert not mix_rules_of(campaign).exists()
    assert AuditEntry.objects.filter(action="awards.mix_rule.removed").count() == 1
