"""A user's own API tokens and sign-in security through the API (extensions of API.md, see
docs/decisions.md "API tokens and login throttling"): list and revoke tokens, log out
everywhere, change the password (which revokes every token and answers a new one)."""

from django.contrib.auth import update_session_auth_hash
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts import selectors, services
from marketplace.accounts.api import IssuedTokenSerializer
from marketplace.accounts.forms import PasswordChangeForm
from marketplace.accounts.middleware import client_ip, user_agent
from marketplace.accounts.models import ApiToken
from marketplace.api.forms import validated_form_data


class ApiTokenSerializer(serializers.ModelSerializer):
    expires_at = serializers.DateTimeField(read_only=True)
    current = serializers.SerializerMethodField(help_text="The token making this request")

    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "created_at", "last_used_at", "expires_at", "user_agent",
                  "ip_address", "current"]

    def get_current(self, token) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, ApiToken) and auth.pk == token.pk


def _session_key(request) -> str | None:
    """The session making this call, when it came with a session rather than a token."""
    return request._request.session.session_key if request.auth is None else None


class TokenList(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ApiTokenSerializer

    @extend_schema(summary="The caller's API tokens that still work (prefix only)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return ApiToken.objects.none()
        return selectors.api_tokens(self.request.user)


class TokenRevoke(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None}, summary="Revoke one of the caller's API tokens")
    def delete(self, request, pk: int):
        services.api_token_revoke(user=request.user, token_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogOutEverywhere(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: inline_serializer("LoggedOutEverywhere", {
        "sessions_ended": serializers.IntegerField(),
        "tokens_revoked": serializers.IntegerField()})},
        summary="End every other session and revoke every API token, this one included")
    def post(self, request):
        ended, revoked = services.user_log_out_everywhere(
            user=request.user, current_session_key=_session_key(request))
        return Response({"sessions_ended": ended, "tokens_revoked": revoked})


class PasswordChangeRequestSerializer(serializers.Serializer):
    old_password = serializers.CharField(write_only=True)
    new_password = serializers.CharField(write_only=True)


class PasswordChange(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=PasswordChangeRequestSerializer,
                   responses={200: IssuedTokenSerializer},
                   summary="Change the password: every API token is revoked, a new one "
                           "is returned; other sessions end")
    def post(self, request):
        new_password = request.data.get("new_password", "")
        data = validated_form_data(PasswordChangeForm, {
            "old_password": request.data.get("old_password", ""),
            "new_password1": new_password, "new_password2": new_password}, user=request.user)
        user = services.password_change(user=request.user, password=data["new_password1"])
        if request.auth is None:
            update_session_auth_hash(request._request, user)
        token, key = services.api_token_issue(user=user, ip=client_ip(request),
                                              user_agent=user_agent(request))
        return Response({"token": key, "id": token.pk, "prefix": token.prefix,
                         "expires_at": token.expires_at})
