"""A campaign's deadline to the minute (that minute included), the
migration's reading of the old dates, a draft edited before handing in,
and the district's correction of a running campaign (audited)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from awards.kinds import cases as case_services
from awards.kinds.models import CAMPAIGN_CORRECTED, CASE_EDITED, KindCampaign, KindCaseState as S
from tests.awards.kinds.conftest import answers_post
from workflows.audit import history_of
from workflows.exceptions import RuleViolation

pytestmark = pytest.mark.django_db


def test_a_deadline_includes_its_whole_minute(tree, make_kind, open_campaign, make_case):
    deadline = timezone.make_aware(datetime.datetime(2031, 12, 7, 23, 59))
    campaign = open_campaign(make_kind(), deadline=deadline)
    assert campaign.deadline == deadline
    with freeze_time(deadline + datetime.timedelta(seconds=30)):
        campaign = KindCampaign.objects.get(pk=campaign.pk)
        assert campaign.is_open
        assert make_case(campaign).state != S.DRAFT
    with freeze_time(deadline + datetime.timedelta(minutes=1)):
        campaign = KindCampaign.objects.get(pk=campaign.pk)
        assert not campaign.is_open
        with pytest.raises(RuleViolation) as refused:
            make_case(campaign)
        assert "2031-12-07 23:59" in str(refused.value)


def test_a_day_without_a_time_is_its_last_minute_and_a_past_deadline_is_refused(tree, make_kind, open_campaign):
    day = timezone.localdate() + datetime.timedelta(days=3)
    campaign = open_campaign(make_kind(), deadline=day)
    assert timezone.localtime(campaign.deadline).replace(tzinfo=None) == datetime.datetime.combine(
        day, datetime.time(23, 59))
    with pytest.raises(RuleViolation):
        open_campaign(make_kind(), deadline=timezone.now() - datetime.timedelta(minutes=1))


def test_the_form_takes_a_date_and_time_in_the_future(client, tree, make_kind):
    version = make_kind()
    client.force_login(tree.admin_d)
    year = timezone.localdate().year
    past = {"kinds": [version.kind.pk], "year": str(year), "title": "过去", "deadline": "2020-01-01T10:00",
            "confirmed": "1"}
    assert client.post(reverse("kinds:campaign_open"), past).status_code == 200
    assert not KindCampaign.objects.exists()
    when = (timezone.localtime() + datetime.timedelta(days=10)).replace(hour=17, minute=30, second=0, microsecond=0)
    opened = client.post(reverse("kinds:campaign_open"), {**past, "title": "将来", "year": str(when.year),
                                                          "deadline": when.strftime("%Y-%m-%dT%H:%M")})
    assert opened.status_code == 302
    campaign = KindCampaign.objects.get()
    assert campaign.deadline == when
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert when.strftime("%Y-%m-%d 17:30") in page
    assert when.strftime("%Y-%m-%d 17:30") in client.get(reverse("kinds:campaign_list")).content.decode()


def test_a_closed_campaigns_form_says_so(client, tree, make_kind, open_campaign):
    campaign = open_campaign(make_kind())
    KindCampaign.objects.filter(pk=campaign.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=5))
    client.force_login(tree.submitter)
    page = client.get(reverse("kinds:case_new", args=[campaign.pk]), follow=True).content.decode()
    assert "已过报送截止时间" in page


def test_the_migration_reads_a_date_as_its_last_minute():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("awards.kinds.migrations.0010_campaign_deadline_time")
    assert migration.Migration.dependencies == [("kinds", "0009_remove_campaign_version")]
    assert callable(migration.to_end_of_day) and callable(migration.to_local_day)
    assert apps.get_model("kinds", "KindCampaign")._meta.get_field("deadline").get_internal_type() == \
        "DateTimeField"


def test_a_draft_is_edited_and_handed_in_from_its_form(client, tree, make_kind, open_campaign, make_case):
    campaign = open_campaign(make_kind())
    draft = make_case(campaign, submit=False)
    client.force_login(tree.submitter)
    assert "kinds/cases/%d/edit/" % draft.pk in client.get(draft.get_absolute_url()).content.decode()
    url = reverse("kinds:case_edit", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200 and draft.name in page.content.decode()
    post = {**answers_post("李四", 7), "case-organisation": tree.union_a1.pk, "version": draft.version,
            "action": "save"}
    # An invalid answer saves nothing and keeps what was typed.
    bad = client.post(url, {**post, "answers-id_number": "123"})
    assert bad.status_code == 200 and "李四" in bad.content.decode()
    draft.refresh_from_db()
    assert draft.name != "李四"
    assert client.post(url, post).status_code == 302
    draft.refresh_from_db()
    assert draft.name == "李四" and draft.answers["name"] == "李四" and draft.state == S.DRAFT
    entry = history_of(draft).get(action=CASE_EDITED)
    assert "name" in entry.data["fields"] and entry.data["name"][1] == "李四"
    # A page showing the old draft hands in nothing.
    stale = client.post(url, {**post, "action": "submit"})
    assert stale.status_code == 200
    draft.refresh_from_db()
    assert draft.state == S.DRAFT
    assert client.post(url, {**post, "action": "submit", "version": draft.version}).status_code == 302
    draft.refresh_from_db()
    assert draft.state != S.DRAFT
    # Handed in: no editing any more (as the revision of a case not
    # returned: a 404), and the case's page offers none.
    assert client.get(url).status_code == 404
    assert url not in client.get(draft.get_absolute_url()).content.decode()


def test_a_draft_out_of_reach_is_a_404(client, tree, make_kind, open_campaign, make_case):
    campaign = open_campaign(make_kind())
    draft = make_case(campaign, submit=False)
    client.force_login(tree.reviewer_d)
    assert client.get(reverse("kinds:case_edit", args=[draft.pk])).status_code == 404


def test_the_district_corrects_title_and_deadline_audited(client, tree, make_kind, open_campaign):
    campaign = open_campaign(make_kind())
    old_title, old_deadline = campaign.title, campaign.deadline
    new = (timezone.localtime(old_deadline) + datetime.timedelta(days=5)).replace(hour=12, minute=0)
    client.force_login(tree.admin_d)
    url = reverse("kinds:campaign_correct", args=[campaign.pk])
    assert client.get(url).status_code == 200
    data = {"title": "更正后的标题", "deadline": new.strftime("%Y-%m-%dT%H:%M")}
    asked = client.post(url, data)
    assert asked.status_code == 200 and 'name="confirmed" value="1"' in asked.content.decode()
    campaign.refresh_from_db()
    assert campaign.title == old_title
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "更正后的标题" and campaign.deadline == new
    entry = history_of(campaign).get(action=CAMPAIGN_CORRECTED)
    assert entry.data["title"] == [old_title, "更正后的标题"]
    assert entry.data["deadline"][1] == new.strftime("%Y-%m-%d %H:%M")
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "更正后的标题" in page and old_title in page  # the history shows the old value
    # A deadline moved into the past is refused.
    past = {"title": "更正后的标题", "deadline": "2020-01-01T10:00", "confirmed": "1"}
    assert client.post(url, past).status_code == 200
    campaign.refresh_from_db()
    assert campaign.deadline == new


def test_another_districts_campaign_is_not_corrected(client, tree, make_kind, open_campaign):
    campaign = open_campaign(make_kind())
    for user in (tree.submitter, tree.reviewer_d):
        client.force_login(user)
        assert client.get(reverse("kinds:campaign_correct", args=[campaign.pk])).status_code == 404
    with pytest.raises(Exception):
        case_services.do_correct_campaign(campaign=campaign, changes={"title": "x"}, actor=tree.submitter)
