"""Tokens through the API: list, make, revoke (the same services as the
page, /api-tokens/). A token may make another only as wide as its own
scope, and only a decide token (or a session) may make or revoke one."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from workflows.api import serializers as s
from workflows.api.auth import is_token
from workflows.api.tokens import accounts_for_tokens, do_create_api_token, do_revoke_api_token, tokens_visible_to
from workflows.api.views import PAGE, paginated
from workflows.exceptions import NotAllowed
from workflows.middleware import client_ip
from workflows.models import ApiScope


def token_data(token):
    return {
        "id": token.pk, "name": token.name, "account": token.user.get_username(), "scope": token.scope,
        "prefix": f"uf_{token.prefix}_", "created": token.created, "created_by": token.created_by.get_username(),
        "last_used_at": token.last_used_at, "revoked_at": token.revoked_at, "active": token.is_active,
    }


class TokenListView(APIView):
    @extend_schema(responses=s.paged("Tokens", s.TokenSerializer), parameters=[PAGE],
                   summary="Your tokens (a district administrator: the district's accounts' too)",
                   operation_id="tokens_list")
    def get(self, request):
        return paginated(self, request, tokens_visible_to(request.user), token_data)

    @extend_schema(request=s.TokenRequestSerializer, responses={201: s.NewTokenSerializer},
                   summary="Make a token (its secret is shown this once)")
    def post(self, request):
        form = s.TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        wanted = form.validated_data
        if is_token(request) and wanted["scope"] == ApiScope.DECIDE and not request.auth.may_decide:
            raise NotAllowed(_("A token cannot make a token wider than itself."))
        account = request.user
        if wanted.get("account"):
            account = accounts_for_tokens(request.user).filter(username=wanted["account"]).first()
            if account is None:
                raise ValidationError({"account": [_("No account of yours or of your district has this name.")]})
        token, secret = do_create_api_token(account=account, name=wanted["name"], scope=wanted["scope"],
                                            acting_user=request.user, ip=client_ip(request))
        return Response({**token_data(token), "secret": secret}, status=status.HTTP_201_CREATED)


class TokenDetailView(APIView):
    @extend_schema(responses=s.TokenSerializer, summary="One token")
    def get(self, request, pk):
        return Response(token_data(get_object_or_404(tokens_visible_to(request.user), pk=pk)))

    @extend_schema(responses={200: s.TokenSerializer}, summary="Revoke a token")
    def delete(self, request, pk):
        token = get_object_or_404(tokens_visible_to(request.user), pk=pk)
        do_revoke_api_token(token=token, acting_user=request.user, ip=client_ip(request))
        return Response(token_data(token))


