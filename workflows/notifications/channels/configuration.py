"""Changing what the channels need: a district's credentials (by its
administrator, audited; the secret is write-only) and a user's own
choices of channel per event with their ids on the platforms."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import log_action, register_action_labels
from workflows.exceptions import NotAllowed
from workflows.models import EXTERNAL_CHANNELS, AccountProfile, Channel, ChannelChoice, ChannelSettings
from workflows.notifications.channels.sealing import seal
from workflows.notifications.events import in_app_switchable, registered_events
from workflows.organisations.administration import administered_district
from workflows.organisations.roles import ADMINISTRATOR

SETTINGS_CHANGED = "workflows.channel.settings_changed"
register_action_labels({SETTINGS_CHANGED: gettext_lazy("Notification channel settings changed")})

# The fields of ChannelSettings a form may set (the secret apart).
SETTING_FIELDS = ("enabled", "app_id", "agent_id", "sign_name", "template_code")


def settings_of(district):
    """{channel code: ChannelSettings (unsaved when there is none yet)}."""
    stored = {s.channel: s for s in ChannelSettings.objects.filter(district=district)}
    return {c.value: stored.get(c.value) or ChannelSettings(district=district, channel=c.value)
            for c in EXTERNAL_CHANNELS}


def do_save_channel_settings(*, district, channel, values, secret="", acting_user, ip=None):
    """Store one channel's settings for `district`. An empty `secret`
    keeps the stored one. The audit entry names the fields changed, never
    a value of the secret."""
    # The district's administrator, or a superuser in the admin.
    if administered_district(acting_user) != district and not acting_user.is_superuser:
        raise NotAllowed(_("Only the district administrator can do this."))
    if channel not in {c.value for c in EXTERNAL_CHANNELS}:
        raise ValueError(f"Not a channel with settings: {channel!r}")
    with transaction.atomic():
        row, _created = ChannelSettings.objects.select_for_update().get_or_create(district=district, channel=channel)
        changed = [name for name in SETTING_FIELDS if name in values and getattr(row, name) != values[name]]
        for name in changed:
            setattr(row, name, values[name])
        now = timezone.now()
        if secret:
            row.secret, row.secret_set_at = seal(secret), now
            changed.append("secret")
        if changed:
            row.updated = now
            row.save()
            log_action(district, SETTINGS_CHANGED, actor=acting_user, organisation=district, role=ADMINISTRATOR,
                       ip=ip, data={"channel": channel, "changed": changed})
    return row


def enabled_channels(user):
    """The external channels switched on in `user`'s district, in order."""
    from workflows.notifications.channels.dispatch import districts_of

    district_id = districts_of([user.pk]).get(user.pk)
    if district_id is None:
        return []
    on = set(ChannelSettings.objects.filter(district_id=district_id, enabled=True).values_list("channel", flat=True))
    return [c for c in EXTERNAL_CHANNELS if c.value in on]


def choice_grid(user, channels):
    """[(event code, label, {channel code: chosen})] for the events the
    engine and the processes send, in the app, by e-mail and on `channels`."""
    from workflows.notifications.channels.dispatch import DEFAULT_CHOICE

    codes = [Channel.IN_APP.value, Channel.EMAIL.value] + [c.value for c in channels]
    stored = {(e, c): on for e, c, on in ChannelChoice.objects.filter(user=user).values_list(
        "event", "channel", "enabled")}
    return [
        (event, label, {code: stored.get((event, code), DEFAULT_CHOICE[code]) for code in codes})
        for event, label in sorted(registered_events(), key=lambda pair: pair[0])
    ]


def do_set_channel_choices(*, user, channels, chosen, wecom_userid=None, dingtalk_userid=None):
    """Store `user`'s choice for every registered event in the app, on
    e-mail and `channels`: `chosen` is the set of (event, channel code)
    ticked; every other cell is stored as not chosen (a keyed event stays on
    in the app whatever is posted). The platform ids are stored when given."""
    codes = [Channel.IN_APP.value, Channel.EMAIL.value] + [c.value for c in channels]
    events = [event for event, _label in registered_events()]
    with transaction.atomic():
        ChannelChoice.objects.filter(user=user, channel__in=codes).delete()
        ChannelChoice.objects.bulk_create([
            ChannelChoice(user=user, event=event, channel=code,
                          enabled=(event, code) in chosen or (code == Channel.IN_APP and not in_app_switchable(event)))
            for event in events for code in codes
        ])
        ids = {k: v.strip() for k, v in (("wecom_userid", wecom_userid), ("dingtalk_userid", dingtalk_userid))
               if v is not None}
        if ids:
            AccountProfile.objects.update_or_create(user=user, defaults=ids)
