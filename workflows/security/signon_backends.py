"""Authentication backends: local passwords (unless the district turns
them off) and the union's identity service, OIDC (mozilla-django-oidc)
and CAS (django-cas-ng). The service's backends are inert unless enabled
(UNIONFLOW_OIDC, UNIONFLOW_CAS), and find accounts only through
workflows.security.identities: they never create one."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django_cas_ng.backends import CASBackend as BaseCASBackend
from django_cas_ng.utils import get_cas_client
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from workflows.middleware import client_ip
from workflows.models import SignOnProvider

from . import identities


class LocalPasswordBackend(ModelBackend):
    """Django's user name and password. With UNIONFLOW_LOCAL_PASSWORDS off
    only a superuser's password still works (to repair a broken sign-on)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not settings.UNIONFLOW_LOCAL_PASSWORDS and not user.is_superuser:
            return None
        return user


def _refused(request, provider, subject):
    if request is not None and hasattr(request, "session"):
        request.session[identities.REFUSED_SESSION_KEY] = {"provider": provider, "subject": str(subject or "")}


class OIDCBackend(OIDCAuthenticationBackend):
    """The authorization-code flow of mozilla-django-oidc (tokens checked
    against the provider's keys), matched by the ID token's `sub`."""

    def __init__(self, *args, **kwargs):
        # Django builds every backend for every login and for each request's
        # user: without the provider's settings it must still build.
        self.enabled = settings.UNIONFLOW_OIDC
        if self.enabled:
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not self.enabled:
            return None
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        # As ModelBackend: a deactivated account's session ends.
        user = self.UserModel._default_manager.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None

    def get_or_create_user(self, access_token, id_token, payload):
        user_info = self.get_userinfo(access_token, id_token, payload)
        subject = payload.get("sub")
        if not subject or str(user_info.get("sub", subject)) != str(subject):
            raise SuspiciousOperation("The user info is not of the ID token's subject.")
        # Claims of the signed ID token win over the user info's.
        claims = {**user_info, **payload}
        user = identities.find_user_for(
            SignOnProvider.OIDC, subject, claims, match_claim=settings.UNIONFLOW_OIDC_MATCH_CLAIM,
            ip=client_ip(self.request),
        )
        if user is None:
            _refused(self.request, SignOnProvider.OIDC, subject)
        return user


class CASBackend(BaseCASBackend):
    """A CAS ticket validated with the CAS server; its user is the subject."""

    def authenticate(self, request, ticket=None, service=None, **kwargs):
        if not settings.UNIONFLOW_CAS or not ticket or not service:
            return None
        client = get_cas_client(service_url=service, request=request)
        subject, attributes, _pgtiou = client.verify_ticket(ticket)
        if not subject:
            return None
        user = identities.find_user_for(
            SignOnProvider.CAS, subject, attributes or {}, match_claim=settings.UNIONFLOW_CAS_MATCH_ATTRIBUTE,
            ip=client_ip(request) if request is not None else None,
        )
        if user is None:
            _refused(request, SignOnProvider.CAS, subject)
        return user
