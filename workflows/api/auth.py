"""Who calls the API and what they may do: a personal access token
(`Authorization: Bearer uf_…`) acts as its account within its scope (read,
or read and decide); a signed-in browser session (the documentation page)
acts as the person. Rate limits count per token (else per account, else per
client address)."""

import time

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from workflows.api.tokens import token_for_secret
from workflows.middleware import client_ip
from workflows.models import ApiToken


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header must be: Bearer <token>."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = token_for_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid or has been revoked."))
        return token.user, token

    def authenticate_header(self, request):
        # A 401 (not 403) for a call without credentials.
        return self.keyword


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "uf_… (a personal access token)"}


def is_token(request):
    return isinstance(request.auth, ApiToken)


class ScopedAccess(permissions.BasePermission):
    """Signed in (a session or a token); a token's scope bounds the
    methods: a read token reads, a decide token may also post."""

    message = _("This token may only read: a decision needs a token with the decide scope.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS or not is_token(request):
            return True
        return request.auth.may_decide


class PublicAccess(permissions.AllowAny):
    """A public endpoint (certificate verification, the schema)."""


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """UNIONFLOW_API_RATE requests per minute per token; a session per
    account; no credentials per client address."""

    scope = "api"

    def timer(self):
        # Read at each call: DRF's class attribute `timer = time.time` keeps
        # whatever `time.time` was when the module loaded (a frozen clock's,
        # if that was inside freezegun, e.g. seed_demo in the same process).
        return time.time()

    def get_rate(self):
        return f"{int(settings.UNIONFLOW_API_RATE)}/min"

    def get_cache_key(self, request, view):
        if is_token(request):
            # The prefix, random per token: a key never shared with a
            # token made later (ids are reused after a rollback).
            ident = f"token-{request.auth.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{client_ip(request) or 'unknown'}"
        return f"unionflow:api-rate:{ident}"


class VerifyRateThrottle(throttling.SimpleRateThrottle):
    """The public certificate check: UNIONFLOW_VERIFY_RATE a minute per
    client address, as the verification page."""

    scope = "verify"

    def timer(self):
        return time.time()

    def get_rate(self):
        return f"{int(settings.UNIONFLOW_VERIFY_RATE)}/min"

    def get_cache_key(self, request, view):
        return f"unionflow:api-verify:{client_ip(request) or 'unknown'}"
