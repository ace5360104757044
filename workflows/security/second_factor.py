"""The second factor (等保 level 3: two combined factors for administrators):
a TOTP device (django-otp) confirmed with a first code, and ten one-time
recovery codes (a static device) for a lost phone.

Who must have one: the holders of the roles registered with
`roles.require_second_factor` (the district administrator; what each
process declares in `Process.second_factor_roles`: who reads full ID
numbers, who opens and counts a secret vote). Such a user without a
device is sent to enrolment at their first page after login (the demo's
`qz_admin` too: scan the QR code, type a code); anyone with a confirmed
device, required or not, must pass it in each new session before any page.

UNIONFLOW_SECOND_FACTOR switches the requirement off for a whole
deployment (and the test suite's fixtures switch it off, except in
tests/workflows/test_second_factor.py and the browser test of sign-on).

A lost device is reset by another administrator of the district
(`do_reset_second_factor`), audited; the holder enrols again."""

import re

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from workflows.audit import register_action_labels
from workflows.exceptions import NotAllowed
from workflows.models import Membership
from workflows.organisations.access import memberships
from workflows.organisations.administration import administered_districts
from workflows.organisations.passwords import accounts_of_district
from workflows.organisations.roles import ADMINISTRATOR, requires_second_factor, second_factor_roles

from .account_audit import log_account_action

ENROLLED = "workflows.account.second_factor_enrolled"
RESET = "workflows.account.second_factor_reset"
RECOVERY_CODE_USED = "workflows.account.recovery_code_used"
register_action_labels({
    ENROLLED: gettext_lazy("Second factor set up"),
    RESET: gettext_lazy("Second factor reset by an administrator"),
    RECOVERY_CODE_USED: gettext_lazy("Recovery code used instead of the second factor"),
})

RECOVERY_CODES = 10
DEVICE_NAME = "authenticator"
# Cached in the session for a user who neither has a device nor needs one,
# so their pages cost no query for this; cleared at login.
SESSION_FREE = "second_factor_free"


def is_enforced():
    return settings.UNIONFLOW_SECOND_FACTOR


def second_factor_required(user):
    """Does a role `user` holds (themselves or as a substitute) require
    a second factor?"""
    if not user.is_authenticated:
        return False
    return any(requires_second_factor(m.role, m.organisation.kind) for m in memberships(user))


def confirmed_totp(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user):
    """The unconfirmed TOTP device being enrolled (made once, kept until
    confirmed, so a reload shows the same QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def qr_svg(device):
    """The otpauth:// URL as an inline SVG QR code, drawn here (segno): no
    image service sees the secret."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


def secret_text(device):
    """The key in base32, in groups of four, for typing into an app."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def do_confirm_second_factor(*, user, device, token, ip=None):
    """Confirm the pending `device` with its first code; returns the new
    recovery codes (shown once) or None when the code is wrong."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        if not device.verify_token(_digits(token)):
            return None
        device.confirmed = True
        device.save()
        # One authenticator and one set of recovery codes per person.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
        log_account_action(ENROLLED, user=user, actor=user, ip=ip)
    return codes


def _digits(token):
    return re.sub(r"\s+", "", token or "")


def do_verify_second_factor(*, request, token):
    """Check `token` (a six-digit code or a recovery code) for the
    session's user; on success the session is verified. Failures are
    throttled per device by django-otp."""
    user = request.user
    token = _digits(token).lower()
    if not token:
        return False
    with transaction.atomic():
        if token.isdigit():
            devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
        else:
            devices = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
        for device in devices:
            if device.verify_token(token):
                otp_login(request, device)
                if isinstance(device, StaticDevice):
                    log_account_action(RECOVERY_CODE_USED, user=user, actor=user, ip=_ip(request),
                                       data={"left": device.token_set.count()})
                return True
    return False


def _ip(request):
    from workflows.middleware import client_ip

    return client_ip(request)


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def do_reset_second_factor(*, user, actor, district, ip=None):
    """Another district administrator removes `user`'s authenticator and
    recovery codes (a lost phone); the user enrols again at their next
    page. Never one's own: that would let a stolen session drop the factor."""
    if district not in administered_districts(actor):
        raise NotAllowed(_("Only the district administrator can do this."))
    if user.pk == actor.pk or user.is_superuser or not accounts_of_district(district).filter(pk=user.pk).exists():
        raise NotAllowed(_("This account's second factor cannot be reset here."))
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        StaticDevice.objects.filter(user=user).delete()
        log_account_action(RESET, user=user, actor=actor, district=district, role=ADMINISTRATOR, ip=ip,
                           data={"devices": removed})


def district_enrolment(district):
    """(accounts of the district whose roles require a second factor,
    how many of them have one), in three queries."""
    required_roles = second_factor_roles()
    rows = Membership.objects.filter(
        organisation__path__startswith=district.path, role__in=list(required_roles)
    ).values_list("user_id", "role", "organisation__kind")
    required = {user_id for user_id, role, kind in rows if requires_second_factor(role, kind)}
    enrolled = set(TOTPDevice.objects.filter(user_id__in=required, confirmed=True).values_list("user_id", flat=True))
    return len(required), len(enrolled)


@receiver(user_logged_in)
def _forget_cached_state(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_FREE, None)


class SecondFactorRequiredMiddleware:
    """No page without the second factor for a user who has one, or whose
    role requires one (then: enrolment first). The pages to pass it, to
    log out, to change language and a one-time password stay open."""

    OPEN = ("second_factor_verify", "second_factor_enrol", "logout", "set_language", "password_change_required")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._gate(request)
        return response if response is not None else self.get_response(request)

    def _gate(self, request):
        if not is_enforced() or not getattr(request, "session", None):
            return None
        if request.session.get(SESSION_FREE) or not request.user.is_authenticated:
            return None
        if request.user.is_verified():
            return None
        if request.path in {reverse(name) for name in self.OPEN} or request.path.startswith(("/static/", "/media/")):
            return None
        user = request.user
        if has_second_factor(user):
            target = "second_factor_verify"
        elif second_factor_required(user):
            target = "second_factor_enrol"
        else:
            request.session[SESSION_FREE] = True
            return None
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
