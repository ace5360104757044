"""Notices on 企业微信, 钉钉 and SMS, against a local server that speaks
each platform's documented request and response format
(tests/workflows/platforms.py): the message arrives in the platform's
format with a deep link to the case; a token is cached, and refreshed when
the platform says it expired; an error code is recorded on the delivery,
shown to the district, and the outbox tries again until it goes through."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.workflows import platforms as fake
from workflows.background.sweep import sweep
from workflows.models import (
    AccountProfile, AuditEntry, ChannelChoice, ChannelDelivery, ChannelSettings, DeliveryState, OutboxItem,
    OutboxState,
)
from workflows.notifications.channels.dispatch import DELIVERY
from workflows.notifications.channels.sealing import seal, unseal
from workflows.notifications.services import notify

EVENT = "workflows.event.task_assigned"
SITE = "https://union.example.cn"


@pytest.fixture
def server(settings):
    platforms = fake.FakePlatforms().start()
    settings.UNIONFLOW_WECOM_BASE_URL = platforms.url + "/wecom"
    settings.UNIONFLOW_DINGTALK_BASE_URL = platforms.url + "/dingtalk"
    settings.UNIONFLOW_ALIYUN_SMS_BASE_URL = platforms.url + "/aliyun"
    settings.SITE_URL = SITE
    cache.clear()  # no token of an earlier test
    yield platforms
    platforms.stop()
    cache.clear()


@pytest.fixture
def channels_on(tree):
    ChannelSettings.objects.create(district=tree.district, channel="wecom", enabled=True, app_id=fake.WECOM_CORP,
                                   agent_id=str(fake.WECOM_AGENT), secret=seal(fake.WECOM_SECRET))
    ChannelSettings.objects.create(district=tree.district, channel="dingtalk", enabled=True, app_id=fake.DING_KEY,
                                   agent_id=str(fake.DING_AGENT), secret=seal(fake.DING_SECRET))
    ChannelSettings.objects.create(district=tree.district, channel="sms", enabled=True, app_id=fake.ALIYUN_KEY,
                                   secret=seal(fake.ALIYUN_SECRET), sign_name="示范区总工会",
                                   template_code="SMS_123456789")


def choose(user, *channels, event=EVENT, wecom="zhangsan", dingtalk="ding-zhang", phone="13800138000"):
    AccountProfile.objects.update_or_create(user=user, defaults={
        "wecom_userid": wecom, "dingtalk_userid": dingtalk, "phone": phone})
    for code in channels:
        ChannelChoice.objects.create(user=user, event=event, channel=code, enabled=True)


def tell(user, django_capture_on_commit_callbacks, url="/awards/kinds/cases/7/"):
    with django_capture_on_commit_callbacks(execute=True):
        notify(user, event=EVENT, data={"case": "张三的推荐", "reason": "请复核材料"}, url=url)


def test_wecom_textcard_arrives_in_wecoms_format_with_a_deep_link(tree, server, channels_on,
                                                                    django_capture_on_commit_callbacks):
    choose(tree.chair, "wecom")
    tell(tree.chair, django_capture_on_commit_callbacks)

    (query, body), = server.sends("wecom")
    assert query["access_token"].startswith("wecom-token-")
    assert body["touser"] == "zhangsan" and body["agentid"] == fake.WECOM_AGENT and body["msgtype"] == "textcard"
    card = body["textcard"]
    assert card["title"] == "已向您改派一项待办：张三的推荐"
    assert card["description"] == "请复核材料"
    assert card["url"] == SITE + "/awards/kinds/cases/7/"
    delivery = ChannelDelivery.objects.get()
    assert delivery.state == DeliveryState.SENT and delivery.remote_id.startswith("wecom-msg-")
    assert OutboxItem.objects.get(kind=DELIVERY, object_id=delivery.pk).state == OutboxState.DONE


def test_dingtalk_work_notice_arrives_as_an_action_card(tree, server, channels_on,
                                                        django_capture_on_commit_callbacks):
    choose(tree.chair, "dingtalk")
    tell(tree.chair, django_capture_on_commit_callbacks)

    assert server.sends("wecom") == []
    (query, body), = server.sends("dingtalk")
    assert query["access_token"].startswith("dingtalk-token-")
    assert body["agent_id"] == fake.DING_AGENT and body["userid_list"] == "ding-zhang"
    assert body["msg"]["msgtype"] == "action_card"
    card = body["msg"]["action_card"]
    assert card["title"] == "已向您改派一项待办：张三的推荐"
    assert "请复核材料" in card["markdown"] and card["single_url"] == SITE + "/awards/kinds/cases/7/"
    assert ChannelDelivery.objects.get().state == DeliveryState.SENT


def test_sms_through_aliyun_is_signed_as_aliyun_checks_it(tree, server, channels_on,
                                                          django_capture_on_commit_callbacks):
    choose(tree.chair, "sms")
    tell(tree.chair, django_capture_on_commit_callbacks)

    (query, _body), = server.sends("aliyun")
    assert query["PhoneNumbers"] == "13800138000" and query["TemplateCode"] == "SMS_123456789"
    assert query["SignName"] == "示范区总工会"
    assert '"url":"https://union.example.cn/awards/kinds/cases/7/"' in query["TemplateParam"]
    delivery = ChannelDelivery.objects.get()
    assert delivery.state == DeliveryState.SENT and delivery.remote_id.endswith("^0")


def test_a_wrong_aliyun_secret_is_refused_by_the_signature_check(tree, server, channels_on,
                                                                  django_capture_on_commit_callbacks):
    ChannelSettings.objects.filter(channel="sms").update(secret="not-the-secret")
    choose(tree.chair, "sms")
    tell(tree.chair, django_capture_on_commit_callbacks)
    delivery = ChannelDelivery.objects.get()
    assert delivery.state == DeliveryState.RETRYING and delivery.errcode == "SignatureDoesNotMatch"


def test_the_token_is_cached_and_fetched_again_when_the_platform_says_it_expired(
        tree, server, channels_on, django_capture_on_commit_callbacks):
    choose(tree.chair, "wecom", "dingtalk")
    tell(tree.chair, django_capture_on_commit_callbacks)
    tell(tree.chair, django_capture_on_commit_callbacks, url="/awards/kinds/cases/8/")
    assert server.token_requests == {"wecom": 1, "dingtalk": 1}  # cached between sends

    server.expire_tokens("wecom")
    server.expire_tokens("dingtalk")
    tell(tree.chair, django_capture_on_commit_callbacks, url="/awards/kinds/cases/9/")

    # Each platform answered 42001 once, a new token was fetched, the send repeated.
    assert server.token_requests == {"wecom": 2, "dingtalk": 2}
    wecom_tokens = [q["access_token"] for q, _b in server.sends("wecom")]
    assert len(wecom_tokens) == 4 and wecom_tokens[2] == wecom_tokens[0] != wecom_tokens[3]
    assert len(server.sends("dingtalk")) == 4
    assert set(ChannelDelivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert ChannelDelivery.objects.count() == 6


def test_a_token_the_platform_does_not_know_is_replaced(tree, server, channels_on,
                                                        django_capture_on_commit_callbacks):
    """DingTalk's topapi says so as errcode 88 with sub_code 40014."""
    choose(tree.chair, "dingtalk")
    tell(tree.chair, django_capture_on_commit_callbacks)
    with server.lock:
        server.tokens["dingtalk"] = set()  # forgotten on the platform's side
    tell(tree.chair, django_capture_on_commit_callbacks)
    assert server.token_requests["dingtalk"] == 2
    assert ChannelDelivery.objects.filter(state=DeliveryState.SENT).count() == 2


def _due_now(delivery):
    OutboxItem.objects.filter(kind=DELIVERY, object_id=delivery.pk).update(
        available_at=timezone.now() - datetime.timedelta(hours=1))


def test_an_error_code_is_recorded_shown_and_retried_by_the_outbox(tree, server, channels_on, client,
                                                                   django_capture_on_commit_callbacks):
    choose(tree.chair, "wecom")
    server.fail_next["wecom"] = [{"errcode": 45009, "errmsg": "api freq out of limit"}]
    tell(tree.chair, django_capture_on_commit_callbacks)

    delivery = ChannelDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.errcode, delivery.errmsg) == (
        DeliveryState.RETRYING, 1, "45009", "api freq out of limit")
    item = OutboxItem.objects.get(kind=DELIVERY, object_id=delivery.pk)
    assert item.state == OutboxState.PENDING and item.available_at > timezone.now()  # backs off
    assert "45009" in item.last_error

    # The district sees it, with the platform's errcode and errmsg.
    client.force_login(tree.admin_d)
    page = client.get(reverse("channel_deliveries") + "?state=retrying").content.decode()
    assert "45009" in page and "api freq out of limit" in page and "zhangsan" in page
    assert '<option value="retrying" selected>' in page  # the filter is kept

    # Not before its time; then the sweep sends it.
    assert sweep().ran == 0
    _due_now(delivery)
    assert sweep().ran == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 2
    assert len(server.sends("wecom")) == 2
    page = client.get(reverse("channel_deliveries") + "?state=sent").content.decode()
    assert delivery.remote_id in page


def test_the_last_attempt_fails_for_good_and_the_district_can_try_again(
        tree, server, channels_on, client, django_capture_on_commit_callbacks):
    choose(tree.chair, "wecom", wecom="nobody")  # unknown to the corporation
    tell(tree.chair, django_capture_on_commit_callbacks)
    delivery = ChannelDelivery.objects.get()
    item = OutboxItem.objects.get(kind=DELIVERY, object_id=delivery.pk)
    for _attempt in range(item.max_attempts - 1):
        _due_now(delivery)
        sweep()
    delivery.refresh_from_db()
    item.refresh_from_db()
    assert item.state == OutboxState.FAILED and item.attempts == item.max_attempts
    assert (delivery.state, delivery.errcode) == (DeliveryState.FAILED, "81013")
    assert len(server.sends("wecom")) == item.max_attempts

    client.force_login(tree.admin_d)
    page = client.get(reverse("channel_deliveries") + "?state=failed").content.decode()
    assert "81013" in page and "user &amp; party &amp; tag all invalid" in page

    # The clerk's id is corrected; the district tries again.
    server.wecom_users.add("nobody")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("channel_delivery_retry"), {"delivery": delivery.pk})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    entry = AuditEntry.objects.get(action="workflows.channel.delivery_retried")
    assert entry.actor == tree.admin_d and entry.data["errcode"] == "81013"


def test_a_delivery_whose_runner_died_on_its_last_attempt_shows_failed_and_can_be_sent_again(
        tree, server, channels_on, client, django_capture_on_commit_callbacks):
    choose(tree.chair, "wecom")
    server.fail_next["wecom"] = [{"errcode": 45009, "errmsg": "api freq out of limit"}]
    tell(tree.chair, django_capture_on_commit_callbacks)
    delivery = ChannelDelivery.objects.get()
    # Its last runner died holding it; the sweep gives the row up.
    OutboxItem.objects.filter(kind=DELIVERY, object_id=delivery.pk).update(
        state=OutboxState.RUNNING, attempts=F("max_attempts"), lease_until=timezone.now() - datetime.timedelta(1))
    sweep()
    assert OutboxItem.objects.get(kind=DELIVERY, object_id=delivery.pk).state == OutboxState.FAILED
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.RETRYING

    client.force_login(tree.admin_d)
    page = client.get(reverse("channel_deliveries")).content.decode()
    assert 'class="badge failed"' in page and 'name="delivery"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("channel_delivery_retry"), {"delivery": delivery.pk})
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    # A sent one is not sent again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("channel_delivery_retry"), {"delivery": delivery.pk})
    assert len(server.sends("wecom")) == 2


def test_another_districts_delivery_cannot_be_retried(tree, server, channels_on, client,
                                                      django_capture_on_commit_callbacks):
    from tests.conftest import make_org, make_user
    from workflows.models import OrgKind
    from workflows.organisations.roles import ADMINISTRATOR

    other = make_org("另一区总工会", "other", OrgKind.DISTRICT)
    other_admin = make_user("admin_other", (other, ADMINISTRATOR))
    choose(tree.chair, "wecom", wecom="nobody")
    tell(tree.chair, django_capture_on_commit_callbacks)
    delivery = ChannelDelivery.objects.get()
    ChannelDelivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.FAILED)
    client.force_login(other_admin)
    assert client.post(reverse("channel_delivery_retry"), {"delivery": delivery.pk}).status_code == 404
    assert "nobody" not in client.get(reverse("channel_deliveries")).content.decode()
    client.force_login(tree.chair)
    assert client.get(reverse("channel_deliveries")).status_code == 403


def test_a_decision_reaches_the_next_actor_on_wecom_with_a_link_to_the_case(
        tree, make_mayday_case, server, channels_on, django_capture_on_commit_callbacks):
    choose(tree.chair, "wecom", event="workflows.event.case_state")
    with django_capture_on_commit_callbacks(execute=True):
        case = make_mayday_case(name="张三")
    (query, body), = server.sends("wecom")
    assert body["touser"] == "zhangsan"
    assert body["textcard"]["url"] == SITE + reverse("kinds:case_detail", args=[case.pk])
    assert "张三" in body["textcard"]["title"]


def test_nothing_goes_where_the_user_did_not_choose_or_the_district_is_off(
        tree, server, channels_on, django_capture_on_commit_callbacks):
    choose(tree.chair)  # ids, no choice
    choose(tree.reviewer_a, "wecom", "dingtalk")
    ChannelSettings.objects.filter(channel="dingtalk").update(enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify([tree.chair, tree.reviewer_a], event=EVENT, data={"case": "x"}, url="/x/")
    assert list(ChannelDelivery.objects.values_list("user__username", "channel")) == [("reviewer_a", "wecom")]
    assert server.sends("dingtalk") == []
    # E-mail stays on by default for both.
    assert sorted(mail.outbox[0].to) == ["chair_a1@example.org", "reviewer_a@example.org"]


def test_a_user_who_turns_email_off_gets_no_mail(tree, django_capture_on_commit_callbacks):
    ChannelChoice.objects.create(user=tree.chair, event=EVENT, channel="email", enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify([tree.chair, tree.reviewer_a], event=EVENT, data={"case": "x"}, url="/x/")
    assert [m.to for m in mail.outbox] == [["reviewer_a@example.org"]]


def test_the_preferences_page_stores_event_by_channel_choices(tree, server, channels_on, client):
    ChannelSettings.objects.filter(channel="sms").update(enabled=False)
    client.force_login(tree.chair)
    page = client.get(reverse("notification_channels")).content.decode()
    # The engine's events as rows, e-mail and the district's channels as columns.
    assert "有待办改派给您" in page and "您的事项有进展" in page and "报告已逾期" in page
    assert f'name="{EVENT}|wecom"' in page and f'name="{EVENT}|dingtalk"' in page
    assert f'name="{EVENT}|sms"' not in page
    assert re.search(rf'name="{re.escape(EVENT)}\|email" value="1" [^>]*checked', page)  # default on

    response = client.post(reverse("notification_channels"), {
        f"{EVENT}|wecom": "1", "workflows.event.case_state|dingtalk": "1", "workflows.event.case_state|email": "1",
        "wecom_userid": "zhangsan", "dingtalk_userid": "ding-zhang", "nonsense|wecom": "1",
    })
    assert response.status_code == 302
    chosen = set(ChannelChoice.objects.filter(user=tree.chair, enabled=True).exclude(channel="inapp")
                 .values_list("event", "channel"))
    assert chosen == {(EVENT, "wecom"), ("workflows.event.case_state", "dingtalk"),
                      ("workflows.event.case_state", "email")}
    # In the app: switched off where not ticked, except a keyed reminder.
    in_app = dict(ChannelChoice.objects.filter(user=tree.chair, channel="inapp").values_list("event", "enabled"))
    assert in_app["workflows.event.case_state"] is False and in_app["workflows.event.deadline_reminder"] is True
    assert ChannelChoice.objects.filter(user=tree.chair, event=EVENT, channel="email", enabled=False).exists()
    profile = AccountProfile.objects.get(user=tree.chair)
    assert (profile.wecom_userid, profile.dingtalk_userid) == ("zhangsan", "ding-zhang")


def test_a_bad_platform_id_is_refused_in_chinese_and_the_ticks_are_kept(tree, channels_on, client):
    client.force_login(tree.chair)
    response = client.post(reverse("notification_channels"), {f"{EVENT}|wecom": "1", "wecom_userid": "张 三"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "只能包含字母、数字" in page and 'value="张 三"' in page
    assert re.search(rf'name="{re.escape(EVENT)}\|wecom" value="1" [^>]*checked', page)
    assert not ChannelChoice.objects.exists()


def test_the_secret_is_write_only_and_the_change_audited(tree, client):
    client.force_login(tree.admin_d)
    response = client.post(reverse("channel_settings"), {
        "channel": "wecom", "wecom-enabled": "on", "wecom-app_id": fake.WECOM_CORP,
        "wecom-agent_id": str(fake.WECOM_AGENT), "wecom-secret": "s3cret-never-shown",
    })
    assert response.status_code == 302
    row = ChannelSettings.objects.get(district=tree.district, channel="wecom")
    # Sealed at rest: a dump of the table does not show it.
    assert row.enabled and "s3cret" not in row.secret and unseal(row.secret) == "s3cret-never-shown"
    page = client.get(reverse("channel_settings")).content.decode()
    assert "s3cret-never-shown" not in page and fake.WECOM_CORP in page
    entry = AuditEntry.objects.get(action="workflows.channel.settings_changed")
    assert entry.actor == tree.admin_d and "secret" in entry.data["changed"]
    assert "s3cret-never-shown" not in str(entry.data)

    # Saved again without a secret: the stored one stays.
    client.post(reverse("channel_settings"), {
        "channel": "wecom", "wecom-enabled": "on", "wecom-app_id": fake.WECOM_CORP, "wecom-agent_id": "1000003",
        "wecom-secret": ""})
    row.refresh_from_db()
    assert unseal(row.secret) == "s3cret-never-shown" and row.agent_id == "1000003"


def test_a_secret_sealed_under_a_retired_key_fails_visibly_and_a_fallback_opens_it(
        tree, server, channels_on, settings, django_capture_on_commit_callbacks):
    choose(tree.chair, "wecom")
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    tell(tree.chair, django_capture_on_commit_callbacks)
    delivery = ChannelDelivery.objects.get()
    assert (delivery.state, delivery.errcode) == (DeliveryState.RETRYING, "secret")
    assert server.sends("wecom") == []  # nothing sent with a wrong secret

    settings.SECRET_KEY_FALLBACKS = [old_key]  # Django's key rotation
    _due_now(delivery)
    assert sweep().ran == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT


def test_switching_on_without_credentials_is_refused_with_what_was_typed(tree, client):
    client.force_login(tree.admin_d)
    response = client.post(reverse("channel_settings"), {
        "channel": "dingtalk", "dingtalk-enabled": "on", "dingtalk-app_id": "dingkey", "dingtalk-agent_id": "abc"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "AgentId 是数字" in page and "开通此渠道时必须填写" in page and 'value="dingkey"' in page
    assert not ChannelSettings.objects.exists()


def test_only_the_district_administrator_edits_the_channels(tree, client):
    client.force_login(tree.reviewer_d)
    assert client.get(reverse("channel_settings")).status_code == 403
    assert client.post(reverse("channel_settings"), {"channel": "wecom", "wecom-enabled": "on"}).status_code == 403
    assert not ChannelSettings.objects.exists()


def test_the_deliveries_page_costs_the_same_queries_for_many_rows(tree, client):
    def add(n):
        ChannelDelivery.objects.bulk_create([
            ChannelDelivery(user=tree.chair, district=tree.district, channel="wecom", address="zhangsan",
                            event=EVENT, state=DeliveryState.FAILED, errcode="81013", errmsg="invalid")
            for _ in range(n)])

    client.force_login(tree.admin_d)
    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("channel_deliveries")).status_code == 200
    add(30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("channel_deliveries")).status_code == 200
    assert len(many) == len(few)


def test_the_admin_saves_settings_through_the_service_and_never_shows_the_secret(tree, client):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    response = client.post(reverse("admin:workflows_channelsettings_add"), {
        "district": tree.district.pk, "channel": "dingtalk", "app_id": fake.DING_KEY,
        "agent_id": str(fake.DING_AGENT), "sign_name": "", "template_code": "", "enabled": "on",
        "new_secret": "admin-typed-secret"})
    assert response.status_code == 302, response.content.decode()[:2000]
    row = ChannelSettings.objects.get(channel="dingtalk")
    assert unseal(row.secret) == "admin-typed-secret" and "admin-typed" not in row.secret
    assert AuditEntry.objects.filter(action="workflows.channel.settings_changed", actor=root).exists()
    for url in (reverse("admin:workflows_channelsettings_change", args=[row.pk]),
                reverse("admin:workflows_channelsettings_changelist")):
        page = client.get(url).content.decode()
        assert "admin-typed-secret" not in page and row.secret not in page
    # The user's page shows the platform ids to edit.
    page = client.get(reverse("admin:auth_user_change", args=[tree.chair.pk])).content.decode()
    assert "wecom_userid" in page and "dingtalk_userid" in page
