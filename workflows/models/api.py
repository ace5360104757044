"""What the JSON API (workflows.api) keeps: personal access tokens, stored
as a hash (the secret is shown once, when made), and the district's
webhooks with each delivery (sent from the outbox, retried, visible with
its status)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflows.models.core import Organisation


class ApiScope(models.TextChoices):
    READ = "read", pgettext_lazy("api scope", "Read")
    DECIDE = "decide", pgettext_lazy("api scope", "Read and decide")


class ApiToken(models.Model):
    """A token acting as its account, within its scope. The secret is
    `uf_<prefix>_<rest>`; only the prefix (to find the row) and the SHA-256
    of the whole (to check it) are kept. A revoked token stays listed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    scope = models.CharField(_("scope"), max_length=10, choices=ApiScope.choices, default=ApiScope.READ)
    created = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} (uf_{self.prefix}_…)"

    @property
    def is_active(self):
        return self.revoked_at is None

    @property
    def may_decide(self):
        return self.scope == ApiScope.DECIDE


def new_webhook_secret():
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    """A district's receiver: the events it asked for are POSTed to `url`,
    signed with HMAC-SHA256 under `secret` (shown once, kept to sign)."""

    district = models.ForeignKey(Organisation, verbose_name=_("district"), on_delete=models.PROTECT,
                                 related_name="+")
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=64, default=new_webhook_secret, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DELIVERED = "delivered", _("Delivered")
    RETRYING = "retrying", _("Failed, will retry")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one webhook. The body is fixed when the event happens
    (a retry sends the same bytes, with the same delivery id)."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=60)
    body = models.TextField(editable=False)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    response_code = models.PositiveIntegerField(_("last response"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self):
        return f"{self.event} → {self.webhook_id} ({self.status})"
