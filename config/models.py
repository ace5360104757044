"""What the project itself stores: the wider login lockouts
(config.login_lockouts). django-axes keeps the failures; a row here says
that an account, or an address, is locked until a time."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LockoutKind(models.TextChoices):
    # Failures for one account from any addresses (a password sprayed from many).
    ACCOUNT = "account", _("account, from any address")
    # One address failing on many accounts (trying names until one opens).
    ADDRESS = "address", _("address, for any account")


class LoginLockout(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=LockoutKind.choices)
    # The user name as posted (config.lockout.client_username), or the client
    # address as counted (an IPv6 address's /64 network).
    key = models.CharField(_("account or address"), max_length=150)
    failures = models.PositiveIntegerField(_("failed logins"))
    # For an account: how many addresses the failures came from; for an
    # address: how many accounts it tried.
    spread = models.PositiveIntegerField(_("addresses or accounts"))
    locked_at = models.DateTimeField(_("locked at"))
    until = models.DateTimeField(_("locked until"))

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "until"], name="login_lockout_lookup")]
        ordering = ["-locked_at"]
        verbose_name = _("login lockout")
        verbose_name_plural = _("login lockouts")

    def __str__(self):
        return f"{self.get_kind_display()} {self.key} → {self.until:%Y-%m-%d %H:%M}"
