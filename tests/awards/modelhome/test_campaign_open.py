"""The district administrator opens a model-home campaign from the app:
the form names the standard's version; a confirmation lists the units it
reaches; the campaign is saved only when confirmed, with an audit entry."""

from django.urls import reverse

from awards.modelhome.campaigns import OPENED, units_reached
from awards.modelhome.models import Campaign
from workflows.scoring.standards import standard_create
from tests.conftest import make_org
from workflows.audit import history_of
from workflows.models import AuditEntry, OrgKind

URL = reverse("modelhome:campaign_open")


def _data(version, **changes):
    return {"code": "model-home-2025", "year": 2025, "title": "2025年度模范职工之家评选",
            "standard_version": version.pk, "notice_days": 5, "term_years": 2, "disagreement_points": "5",
            "certificate_number_format": "模家〔{year}〕第{seq:03d}号", **changes}


def test_the_district_administrator_opens_a_campaign_after_confirming(mh, client):
    from demo.modelhome_standard import DEMO_STANDARD
    from workflows.scoring.standards import standard_revise

    old = mh.campaign.standard_version
    new = standard_revise(standard=old.standard, data=DEMO_STANDARD, actor=mh.admin_d)
    assert new.number == old.number + 1  # the version in use stays; the new one is offered
    client.force_login(mh.admin_d)
    assert URL in client.get(reverse("modelhome:index")).content.decode()
    page = client.get(URL)
    assert page.status_code == 200 and f'value="{new.pk}"' in page.content.decode()

    before = AuditEntry.objects.count()
    confirm = client.post(URL, _data(new))
    html = confirm.content.decode()
    assert confirm.status_code == 200 and 'name="confirmed" value="1"' in html
    assert not Campaign.objects.filter(code="model-home-2025").exists() and AuditEntry.objects.count() == before
    units = list(units_reached(mh.district))
    assert units and all(unit.name in html for unit in units)
    assert mh.sub_a1.name in html and mh.town_a.name not in [u.name for u in units]
    assert str(new) in html

    done = client.post(URL, {**_data(new), "confirmed": "1"})
    campaign = Campaign.objects.get(code="model-home-2025")
    assert done.status_code == 302 and done["Location"] == campaign.get_absolute_url()
    assert campaign.district == mh.district and campaign.standard_version == new and campaign.year == 2025
    [entry] = history_of(campaign)
    assert entry.action == OPENED and entry.actor == mh.admin_d and entry.organisation == mh.district
    assert entry.data["version"] == new.number and entry.data["units"] == len(units)

    # A unit of the district now applies in it.
    client.force_login(mh.submitter)
    assert client.get(reverse("modelhome:application_create", args=[campaign.code])).status_code == 200


def test_bad_input_is_refused_and_kept(mh, client):
    client.force_login(mh.admin_d)
    version = mh.campaign.standard_version
    taken = client.post(URL, {**_data(version, code=mh.campaign.code, title="重复的活动"), "confirmed": "1"})
    html = taken.content.decode()
    assert taken.status_code == 400 and "重复的活动" in html
    bad_format = client.post(URL, _data(version, certificate_number_format="模家{nonsense}"))
    assert bad_format.status_code == 400 and "模家{nonsense}" in bad_format.content.decode()
    assert Campaign.objects.count() == 1


def test_only_the_district_administrator_opens_and_only_with_a_standard_of_the_district(mh, client, tree):
    for persona in (mh.submitter, mh.reviewer_a, mh.reviewer_d, mh.inspector_1, mh.outsider):
        client.force_login(persona)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {**_data(mh.campaign.standard_version), "confirmed": "1"}).status_code == 403
    other = make_org("外区总工会", "other-district", OrgKind.DISTRICT)
    from demo.modelhome_standard import DEMO_STANDARD
    from tests.conftest import make_user

    other_admin = make_user("other_admin", (other, "district_admin"))
    foreign = standard_create(district=other, code="other-standard", name="外区标准", data=DEMO_STANDARD,
                              actor=other_admin)
    client.force_login(mh.admin_d)
    refused = client.post(URL, {**_data(foreign), "confirmed": "1"})
    assert refused.status_code == 400 and not Campaign.objects.filter(code="model-home-2025").exists()
    client.logout()
    assert client.get(URL).status_code == 302
