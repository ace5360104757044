"""What the app keeps about an account beyond Django's user: the mobile
phone given at a district's start-up import, the account's user ids on
企业微信 and 钉钉 (where its notices go), and whether the password is a
one-time password that must be changed at the next login."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="account_profile"
    )
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    # The account's user ids on the platforms notices go to (workflows.notifications.channels).
    wecom_userid = models.CharField(_("WeCom user id"), max_length=64, blank=True)
    dingtalk_userid = models.CharField(_("DingTalk user id"), max_length=64, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("Set when an administrator gives a one-time password; cleared when the user picks their own."),
    )

    class Meta:
        verbose_name = _("account profile")
        verbose_name_plural = _("account profiles")

    def __str__(self):
        return str(self.user)


class SignOnProvider(models.TextChoices):
    OIDC = "oidc", _("Unified identity service (OIDC)")
    CAS = "cas", _("Unified identity service (CAS)")


class ExternalIdentity(models.Model):
    """An account of the union's identity service (its stable subject:
    OIDC `sub`, CAS user) linked to an EXISTING user of this site. Made by
    a district administrator, or by a verified claim that names an existing
    account (workflows.security.identities); never creates a user or gives
    a role. One subject per provider belongs to one user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="external_identities"
    )
    provider = models.CharField(_("identity service"), max_length=10, choices=SignOnProvider.choices)
    subject = models.CharField(_("subject"), max_length=255)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # "administrator" or the claim that matched (e.g. "preferred_username").
    method = models.CharField(_("how linked"), max_length=64)
    created = models.DateTimeField(_("linked"), default=timezone.now)
    last_login = models.DateTimeField(_("last sign-on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_unique_subject"),
        ]
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")

    def __str__(self):
        return f"{self.provider}:{self.subject} → {self.user}"
