"""Personal access tokens: made, listed and revoked by their account and by
the administrator of the account's district; audited; the secret shown
once and kept only as its SHA-256 (a random 256-bit secret needs no slow
hash: nothing to guess from the hash)."""

import hashlib
import hmac
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.audit import log_action
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import ApiScope, ApiToken, Membership, Organisation
from workflows.organisations.administration import administered_districts
from workflows.organisations.hats import NO_HAT, Hat
from workflows.organisations.roles import ADMINISTRATOR

PREFIX = "uf_"


def _hash(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def _district_accounts_q(user, prefix="user__"):
    """Accounts (through `prefix`) holding a role in a district `user`
    administers."""
    q = Q(pk__in=[])
    for district in administered_districts(user):
        q |= Q(**{f"{prefix}memberships__organisation__path__startswith": district.path})
    return q


def tokens_visible_to(user):
    """The user's own tokens and, for a district administrator, those of
    every account holding a role in the district."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    ids = ApiToken.objects.filter(Q(user=user) | _district_accounts_q(user)).values("pk")
    return ApiToken.objects.filter(pk__in=ids).select_related("user", "created_by", "revoked_by")


def accounts_for_tokens(user):
    """Accounts `user` may make a token for: their own, and for a district
    administrator every account of the district."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    ids = User.objects.filter(Q(pk=user.pk) | _district_accounts_q(user, prefix="")).values("pk")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("username")


def _token_hat(acting_user, account):
    """The hat a token is made or revoked in: the administrator of a
    district the account holds a role in, where the acting user is that
    (an administrator who also holds a role elsewhere acts as the district,
    not as their other organisation). An account's own token needs no role:
    it is filed at the district of the account's first role, without one,
    so the district's audit export holds it."""
    paths = list(Membership.objects.filter(user=account).values_list("organisation__path", flat=True))
    for district in administered_districts(acting_user):
        if any(path.startswith(district.path) for path in paths):
            return Hat(organisation=district, role=ADMINISTRATOR)
    membership = Membership.objects.filter(user=account).select_related("organisation").order_by("pk").first()
    if membership is None:
        return NO_HAT
    return Hat(organisation=Organisation.objects.filter(pk=membership.organisation.ancestor_ids[0]).first())


def do_create_api_token(*, account, name, scope, acting_user, ip=None):
    """Make a token for `account`. Returns (token, secret): the secret is
    shown once and never stored."""
    if scope not in ApiScope.values:
        raise RuleViolation(_("Choose the token's scope."))
    name = (name or "").strip()
    if not name:
        raise RuleViolation(_("Give the token a name (what it is for)."))
    if not accounts_for_tokens(acting_user).filter(pk=account.pk).exists():
        raise NotAllowed(_("You may not make a token for this account."))
    with transaction.atomic():
        while True:
            prefix = secrets.token_hex(4)
            if not ApiToken.objects.filter(prefix=prefix).exists():
                break
        secret = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken.objects.create(user=account, name=name[:100], prefix=prefix, key_hash=_hash(secret),
                                        scope=scope, created_by=acting_user)
        log_action(token, "workflows.api_token.created", actor=acting_user,
                   hat=_token_hat(acting_user, account), ip=ip,
                   data={"account": account.pk, "scope": scope, "prefix": prefix})
    return token, secret


def do_revoke_api_token(*, token, acting_user, ip=None):
    """Revoke `token` (one the acting user may see). Revoking twice
    changes nothing."""
    with transaction.atomic():
        locked = tokens_visible_to(acting_user).select_for_update(of=("self",)).filter(pk=token.pk).first()
        if locked is None:
            raise NotAllowed(_("You may not revoke this token."))
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_by = acting_user
            locked.save(update_fields=["revoked_at", "revoked_by"])
            log_action(locked, "workflows.api_token.revoked", actor=acting_user,
                       hat=_token_hat(acting_user, locked.user), ip=ip,
                       data={"account": locked.user_id, "prefix": locked.prefix})
    token.revoked_at, token.revoked_by = locked.revoked_at, locked.revoked_by
    return token


def token_for_secret(secret):
    """The active token whose secret this is, else None. Compared in
    constant time; the last use is noted at most once a minute."""
    if not secret.startswith(PREFIX) or secret.count("_") < 2:
        return None
    prefix = secret[len(PREFIX):].split("_", 1)[0]
    token = ApiToken.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(secret)):
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
