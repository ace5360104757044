"""One-time passwords: given by a district administrator (at the start-up
import or by a reset), changed by their holder at the first login.

A one-time password is 12 characters of Crockford's alphabet (60 bits,
nothing to mistake when read off a sheet). It is hashed with PBKDF2 at
fewer rounds than Django's default, so that an import of hundreds of
accounts takes seconds, not minutes: the password is random, short-lived
and must be replaced at the first login, when Django also re-hashes it at
full strength. Whether a password must be changed is copied into the
session at login, so the check costs no query on each request."""

import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hashers_by_algorithm, make_password
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import log_action, register_action_labels
from workflows.documents.verification_codes import ALPHABET
from workflows.exceptions import NotAllowed
from workflows.models import AccountProfile
from workflows.organisations.administration import administered_districts
from workflows.organisations.roles import ADMINISTRATOR

SESSION_FLAG = "must_change_password"
PASSWORD_RESET = "workflows.account.password_reset"
register_action_labels({PASSWORD_RESET: gettext_lazy("Password reset by an administrator")})


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    """Same algorithm name as Django's: verified by the standard hasher,
    which upgrades it (must_update) at the first successful login."""

    iterations = 20_000


def new_one_time_password():
    return "".join(secrets.choice(ALPHABET) for _ in range(12))


def one_time_hash(password):
    """PBKDF2 at fewer rounds where the site verifies PBKDF2; otherwise the
    site's own hasher (a deployment that configured others)."""
    if OneTimePasswordHasher.algorithm in get_hashers_by_algorithm():
        return make_password(password, hasher=OneTimePasswordHasher())
    return make_password(password)


def set_one_time_password(user, password):
    """Store `password` for `user` (not saved) and flag it for change."""
    user.password = one_time_hash(password)
    AccountProfile.objects.update_or_create(user=user, defaults={"must_change_password": True})


def accounts_of_district(district):
    """Users holding a membership in the district's branch."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(memberships__organisation__path__startswith=district.path).distinct()


def do_reset_password(*, user, actor, district, ip=None):
    """A district administrator gives `user` (an account of the district)
    a new one-time password; returns it (shown once)."""
    if district not in administered_districts(actor):
        raise NotAllowed(_("Only the district administrator can reset passwords."))
    if user.is_superuser or user.pk == actor.pk or not accounts_of_district(district).filter(pk=user.pk).exists():
        raise NotAllowed(_("This account's password cannot be reset here."))
    password = new_one_time_password()
    with transaction.atomic():
        locked = type(user).objects.select_for_update().get(pk=user.pk)
        set_one_time_password(locked, password)
        locked.save(update_fields=["password"])
        log_action(
            district, PASSWORD_RESET, actor=actor, organisation=district, role=ADMINISTRATOR, ip=ip,
            data={"user": locked.pk, "username": locked.username},
        )
    return password


def password_changed(request):
    """The user chose their own password: the flag goes."""
    AccountProfile.objects.filter(user=request.user).update(must_change_password=False)
    request.session.pop(SESSION_FLAG, None)


@receiver(user_logged_in)
def _copy_flag_to_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        if AccountProfile.objects.filter(user=user, must_change_password=True).exists():
            request.session[SESSION_FLAG] = True
        else:
            request.session.pop(SESSION_FLAG, None)


class PasswordChangeRequiredMiddleware:
    """Until a one-time password is replaced, every page leads to the
    password-change page (logging out and changing the language still
    work)."""

    ALLOWED = ("password_change_required", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "session", None) is not None and request.session.get(SESSION_FLAG):
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith(("/static/", "/media/")):
                return redirect("password_change_required")
        return self.get_response(request)
