"""Which existing account a subject of the union's identity service is.

The rule (the same for OIDC and CAS): a subject (OIDC `sub`, CAS user) is
the account it was linked to, by a district administrator
(`do_link_identity`) or at its first sign-on by a verified claim the
deployment names (UNIONFLOW_OIDC_MATCH_CLAIM / UNIONFLOW_CAS_MATCH_ATTRIBUTE,
e.g. the user name or employee number the service issues) that equals the
user name of an existing, active account not yet linked to another subject
of that service. Nothing here creates an account or gives a role: an
unknown subject is refused ("账号未开通") and a district administrator links
it. Superusers are never linked by a claim."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import register_action_labels
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import ExternalIdentity, SignOnProvider
from workflows.organisations.administration import administered_districts
from workflows.organisations.passwords import accounts_of_district
from workflows.organisations.roles import ADMINISTRATOR

from .account_audit import log_account_action

LINKED_BY_CLAIM = "workflows.account.signon_linked_by_claim"
LINKED = "workflows.account.signon_linked"
UNLINKED = "workflows.account.signon_unlinked"
register_action_labels({
    LINKED_BY_CLAIM: gettext_lazy("Sign-on account linked by a verified claim"),
    LINKED: gettext_lazy("Sign-on account linked by an administrator"),
    UNLINKED: gettext_lazy("Sign-on account unlinked"),
})

# The session key where a refused sign-on leaves what the refusal page
# shows (the provider and the subject to give the administrator).
REFUSED_SESSION_KEY = "signon_refused"
BY_ADMINISTRATOR = "administrator"


def find_user_for(provider, subject, claims, *, match_claim="", ip=None):
    """The active account `subject` of `provider` signs on as, or None.
    Links the subject by `match_claim` the first time (audited)."""
    subject = str(subject or "").strip()
    if not subject:
        return None
    identity = ExternalIdentity.objects.select_related("user").filter(provider=provider, subject=subject).first()
    if identity is not None:
        if not identity.user.is_active:
            return None
        ExternalIdentity.objects.filter(pk=identity.pk).update(last_login=timezone.now())
        return identity.user
    value = str(claims.get(match_claim) or "").strip() if match_claim else ""
    if not value:
        return None
    user = get_user_model().objects.filter(username=value, is_active=True, is_superuser=False).first()
    if user is None or ExternalIdentity.objects.filter(provider=provider, user=user).exists():
        # An account already linked to another subject is not taken over
        # by a second one that happens to carry the same claim.
        return None
    try:
        with transaction.atomic():
            ExternalIdentity.objects.create(
                user=user, provider=provider, subject=subject, method=match_claim[:64], last_login=timezone.now()
            )
            log_account_action(LINKED_BY_CLAIM, user=user, ip=ip,
                               data={"provider": provider, "subject": subject, "claim": match_claim})
    except IntegrityError:  # the same subject linked meanwhile by another request
        return find_user_for(provider, subject, {}, ip=ip)
    return user


def _check_administrator(actor, district, user):
    if district not in administered_districts(actor):
        raise NotAllowed(_("Only the district administrator can do this."))
    if user.is_superuser or not accounts_of_district(district).filter(pk=user.pk).exists():
        raise NotAllowed(_("This account cannot be changed here."))


def do_link_identity(*, user, provider, subject, actor, district, ip=None):
    """A district administrator links `subject` of `provider` to `user`,
    an account of their district."""
    _check_administrator(actor, district, user)
    subject = (subject or "").strip()
    if provider not in SignOnProvider.values or not subject:
        raise RuleViolation(_("Choose the identity service and give the account's identifier there."))
    with transaction.atomic():
        taken = ExternalIdentity.objects.select_for_update().filter(provider=provider, subject=subject).first()
        if taken is not None:
            raise RuleViolation(_("This identifier is already linked to an account."))
        identity = ExternalIdentity.objects.create(
            user=user, provider=provider, subject=subject, linked_by=actor, method=BY_ADMINISTRATOR
        )
        log_account_action(LINKED, user=user, actor=actor, district=district, role=ADMINISTRATOR, ip=ip,
                           data={"provider": provider, "subject": subject})
    return identity


def do_unlink_identity(*, identity, actor, district, ip=None):
    _check_administrator(actor, district, identity.user)
    with transaction.atomic():
        ExternalIdentity.objects.filter(pk=identity.pk).delete()
        log_account_action(UNLINKED, user=identity.user, actor=actor, district=district, role=ADMINISTRATOR, ip=ip,
                           data={"provider": identity.provider, "subject": identity.subject})
