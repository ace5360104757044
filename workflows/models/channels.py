"""Notices outside the app: a district's credentials for each platform
(企业微信, 钉钉, SMS), each user's choice of channels per event, and each
delivery with what the platform answered (workflows.notifications.channels)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.models.core import Organisation


class Channel(models.TextChoices):
    # The list behind the header's bell: on by default, switched off per
    # event by the user (a keyed reminder stays on: events.in_app_switchable).
    IN_APP = "inapp", _("In the app")
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom (企业微信)")
    DINGTALK = "dingtalk", _("DingTalk (钉钉)")
    SMS = "sms", _("SMS")


# The channels that need a district's credentials and go through the outbox.
EXTERNAL_CHANNELS = (Channel.WECOM, Channel.DINGTALK, Channel.SMS)


class ChannelSettings(models.Model):
    """One platform's credentials for one district. The secret is
    write-only: forms never show it (they say whether one is set), the
    admin never lists it; it is read only by the client that sends."""

    district = models.ForeignKey(
        Organisation, verbose_name=_("district"), on_delete=models.CASCADE, related_name="channel_settings",
        limit_choices_to={"parent__isnull": True},
    )
    channel = models.CharField(_("channel"), max_length=10, choices=[(c.value, c.label) for c in EXTERNAL_CHANNELS])
    enabled = models.BooleanField(_("switched on"), default=False)
    # WeCom corpid, DingTalk AppKey, Aliyun AccessKey ID.
    app_id = models.CharField(_("application id"), max_length=100, blank=True)
    # WeCom agentid, DingTalk agent_id (numbers); unused by SMS.
    agent_id = models.CharField(_("agent id"), max_length=40, blank=True)
    # WeCom corpsecret, DingTalk AppSecret, Aliyun AccessKey secret, sealed
    # under SECRET_KEY (workflows.notifications.channels.sealing).
    secret = models.CharField(_("secret"), max_length=500, blank=True, editable=False)
    secret_set_at = models.DateTimeField(_("secret set at"), null=True, blank=True, editable=False)
    # SMS only: the approved signature and template (variables ${title} and ${url}).
    sign_name = models.CharField(_("SMS signature"), max_length=40, blank=True)
    template_code = models.CharField(_("SMS template code"), max_length=40, blank=True)
    updated = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("notification channel settings")
        verbose_name_plural = _("notification channel settings")
        ordering = ["district", "channel"]
        constraints = [models.UniqueConstraint(fields=["district", "channel"], name="one_setting_per_channel")]

    def __str__(self):
        return f"{self.district} · {self.get_channel_display()}"

    @property
    def has_secret(self):
        return bool(self.secret)


class ChannelChoice(models.Model):
    """A user's choice for one event on one channel. Without a row the
    default holds: in the app and e-mail on, the other channels off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="channel_choices"
    )
    event = models.CharField(_("event"), max_length=80)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(_("chosen"), default=False)

    class Meta:
        verbose_name = _("notification channel choice")
        verbose_name_plural = _("notification channel choices")
        constraints = [
            models.UniqueConstraint(fields=["user", "event", "channel"], name="one_choice_per_event_channel"),
        ]

    def __str__(self):
        return f"{self.user} · {self.event} · {self.channel}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Failed, will be tried again")
    FAILED = "failed", _("Failed")


class ChannelDelivery(models.Model):
    """One message to one person on one platform, sent by the outbox
    (kind workflows.notifications.channels.DELIVERY). It keeps the event as
    a code with its data and renders it when it is sent, in the district's
    language, like the e-mail copy."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="channel_deliveries",
    )
    district = models.ForeignKey(Organisation, verbose_name=_("district"), on_delete=models.CASCADE,
                                 related_name="channel_deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=[(c.value, c.label) for c in EXTERNAL_CHANNELS])
    # The platform's user id (WeCom userid, DingTalk userid) or the mobile number.
    address = models.CharField(_("address"), max_length=100)
    event = models.CharField(_("event"), max_length=80)
    data = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # What the platform said last (errcode/errmsg; Aliyun's Code/Message).
    errcode = models.CharField(_("error code"), max_length=60, blank=True)
    errmsg = models.CharField(_("error message"), max_length=500, blank=True)
    # The platform's id of the sent message (WeCom msgid, DingTalk task_id, Aliyun BizId).
    remote_id = models.CharField(_("platform message id"), max_length=100, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_attempt = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("channel delivery")
        verbose_name_plural = _("channel deliveries")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["district", "state", "created"], name="delivery_district_state")]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address} ({self.get_state_display()})"
