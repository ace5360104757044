"""What the app keeps about an account beyond Django's user: the mobile
phone given at a district's start-up import, the account's user ids on
企业微信 and 钉钉 (where its notices go), and whether the password is a
one-time password that must be changed at the next login."""

from django.conf import settings
from django.db import models
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
