"""From a notification to the platforms: `plan_deliveries` (called by
`notify` inside the sender's transaction) records a ChannelDelivery for
each recipient and each channel they chose for the event, where their
district has switched the channel on and they have an address on it, and
owes each to the outbox. `send_delivery` is the outbox's handler: it
renders the event in the district's language, sends, and records what the
platform answered. A refusal is recorded on the delivery (errcode, errmsg,
state "will be tried again", or "failed" on the last attempt) and raised,
so the outbox tries again with a growing delay."""

import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import log_action, register_action_labels

from workflows.background.outbox import owe, register_outbox_handler
from workflows.models import (
    EXTERNAL_CHANNELS, AccountProfile, Channel, ChannelChoice, ChannelDelivery, ChannelSettings, DeliveryState,
    Membership, Organisation, OutboxItem, OutboxState,
)
from workflows.notifications.channels import channel
from workflows.notifications.channels.base import DeliveryFailed, Message
from workflows.notifications.events import render_event
from workflows.organisations.roles import ADMINISTRATOR

log = logging.getLogger(__name__)

DELIVERY = "notifications.channel_delivery"
DELIVERY_RETRIED = "workflows.channel.delivery_retried"
register_action_labels({DELIVERY_RETRIED: gettext_lazy("Failed notice sent again")})

# Without a stored choice: in the app and e-mail as before, nothing on the
# other channels.
DEFAULT_CHOICE = {Channel.IN_APP: True, Channel.EMAIL: True, Channel.WECOM: False, Channel.DINGTALK: False, Channel.SMS: False}


def chosen_channels(user_ids, event):
    """{user id: set of channel codes} the users chose for `event` (one query)."""
    return chosen_channels_of({event: user_ids})[event]


def chosen_channels_of(wanted):
    """{event: {user id: set of channel codes}} for `wanted`, {event: user
    ids}: the choices of several events in one query."""
    q = Q(pk__in=[])
    for event, user_ids in wanted.items():
        q |= Q(event=event, user_id__in=list(user_ids))
    stored = defaultdict(lambda: defaultdict(dict))
    for event, user_id, code, enabled in ChannelChoice.objects.filter(q).values_list(
            "event", "user_id", "channel", "enabled"):
        stored[event][user_id][code] = enabled
    return {
        event: {
            user_id: {code for code, default in DEFAULT_CHOICE.items() if stored[event][user_id].get(code, default)}
            for user_id in user_ids
        }
        for event, user_ids in wanted.items()
    }


def districts_of(user_ids):
    """{user id: district id}: the district above the user's first
    membership (one query). A user without a membership has none."""
    found = {}
    for user_id, path in Membership.objects.filter(user_id__in=user_ids).order_by("pk").values_list(
            "user_id", "organisation__path"):
        if user_id not in found:
            found[user_id] = int(path.strip("/").split("/")[0])
    return found


def plan_deliveries(users, *, event, data, url, chosen=None):
    """Record and owe the deliveries of `event` to `users` (in the caller's
    transaction). `chosen`: their chosen_channels, if the caller read them.
    Returns the ids of users who turned e-mail off for it."""
    ids = [u.pk for u in users]
    if not ids:
        return set()
    chosen = chosen_channels(ids, event) if chosen is None else {i: chosen[i] for i in ids}
    no_mail = {user_id for user_id, codes in chosen.items() if Channel.EMAIL not in codes}
    wanted = {user_id: codes & set(EXTERNAL_CHANNELS) for user_id, codes in chosen.items()}
    wanted = {user_id: codes for user_id, codes in wanted.items() if codes}
    if not wanted:
        return no_mail
    districts = districts_of(list(wanted))
    configs = {
        (s.district_id, s.channel)
        for s in ChannelSettings.objects.filter(enabled=True, district_id__in=set(districts.values()))
    }
    profiles = {p.user_id: p for p in AccountProfile.objects.filter(user_id__in=list(wanted))}
    with transaction.atomic():  # each delivery commits with its outbox row
        _record(wanted, districts, configs, profiles, event=event, data=data, url=url)
    return no_mail


def _record(wanted, districts, configs, profiles, *, event, data, url):
    for user_id, codes in wanted.items():
        district_id = districts.get(user_id)
        for code in sorted(codes):
            address = channel(code).address_of(profiles.get(user_id)).strip()
            if district_id is None or (district_id, code) not in configs or not address:
                continue  # the preferences page says why nothing goes there
            delivery = ChannelDelivery.objects.create(
                user_id=user_id, district_id=district_id, channel=code, address=address, event=event,
                data=data or {}, url=url or "",
            )
            owe(DELIVERY, delivery.pk)


def absolute_url(url):
    """The link a phone opens: SITE_URL and the page's path."""
    if not url:
        from django.urls import reverse

        url = reverse("notifications")
    if url.startswith("/"):
        return settings.SITE_URL + url
    return url


def message_of(delivery):
    with translation.override(settings.LANGUAGE_CODE):
        rendered = render_event(delivery.event, delivery.data) or (_("Notification"), "")
    title, body = rendered
    return Message(title=title, body=body, url=absolute_url(delivery.url))


def _is_last_attempt(delivery_id):
    """Is this run the outbox row's last attempt? (A delivery sent again
    by the district has a new row.)"""
    item = OutboxItem.objects.filter(kind=DELIVERY, object_id=delivery_id).order_by("-pk").first()
    return item is None or item.attempts >= item.max_attempts


def send_delivery(delivery_id):
    """The outbox handler. A delivery recorded as sent is not sent again;
    a send whose answer was lost (the worker died before recording it) is
    sent again: at least once, as the platforms offer no idempotency key."""
    delivery = ChannelDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None or delivery.state == DeliveryState.SENT:
        return
    last = _is_last_attempt(delivery_id)
    now = timezone.now()
    try:
        config = ChannelSettings.objects.filter(district_id=delivery.district_id, channel=delivery.channel).first()
        if config is None or not config.enabled:
            raise DeliveryFailed("disabled", _("The district has switched this channel off."))
        remote_id = channel(delivery.channel).send(config, delivery.address, message_of(delivery))
    except DeliveryFailed as exc:
        ChannelDelivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.FAILED if last else DeliveryState.RETRYING, attempts=F("attempts") + 1,
            errcode=exc.errcode, errmsg=exc.errmsg, last_attempt=now,
        )
        raise
    ChannelDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENT, attempts=F("attempts") + 1, remote_id=remote_id[:100], last_attempt=now,
        sent_at=now,
        errcode="", errmsg="",  # an earlier attempt's refusal is in the outbox row's last error
    )


register_outbox_handler(DELIVERY, send_delivery)


def has_given_up(delivery, outbox_states=None):
    """Will nothing send `delivery` any more? Failed on its last attempt,
    or not sent while no outbox row is left to run it (its runner died on
    the last attempt: the sweep failed the row, the delivery still says it
    waits). `outbox_states` is the states of its rows, when known."""
    if delivery.state == DeliveryState.SENT:
        return False
    if delivery.state == DeliveryState.FAILED:
        return True
    if outbox_states is None:
        outbox_states = set(OutboxItem.objects.filter(kind=DELIVERY, object_id=delivery.pk).values_list(
            "state", flat=True))
    return not outbox_states & {OutboxState.PENDING, OutboxState.RUNNING}


def do_retry_delivery(delivery, *, acting_user, ip=None):
    """A delivery nothing will send any more (has_given_up) owed again (the district's "try
    again"): a new outbox row with every attempt, audited on the district.
    Returns the row, or None when the delivery had not failed."""
    with transaction.atomic():
        locked = ChannelDelivery.objects.select_for_update().filter(pk=delivery.pk).first()
        if locked is None or not has_given_up(locked):
            return None
        ChannelDelivery.objects.filter(pk=locked.pk).update(state=DeliveryState.PENDING)
        district = Organisation.objects.get(pk=delivery.district_id)
        log_action(district, DELIVERY_RETRIED, actor=acting_user, organisation=district, role=ADMINISTRATOR, ip=ip,
                   data={"delivery": delivery.pk, "channel": delivery.channel, "errcode": delivery.errcode})
        return owe(DELIVERY, delivery.pk)
