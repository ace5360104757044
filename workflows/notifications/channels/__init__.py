"""Notification channels beside the in-app list and e-mail: 企业微信
application messages, 钉钉 work notices and SMS. Each user chooses the
channels per event (ChannelChoice); `notify` records one ChannelDelivery
per chosen channel in its own transaction and owes it to the outbox, which
sends it after commit, retries with a growing delay, and leaves what the
platform answered on the delivery for the district to see
(workflows.notifications.channels.dispatch).

Each channel is a small object (see base.py); the platform's base URL is a
setting, so tests point it at a local server."""

from workflows.notifications.channels.dingtalk import DingTalkChannel
from workflows.notifications.channels.sms import SmsChannel
from workflows.notifications.channels.wecom import WeComChannel

CHANNELS = {c.code: c for c in (WeComChannel(), DingTalkChannel(), SmsChannel())}


def channel(code):
    return CHANNELS[code]
