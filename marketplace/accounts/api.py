from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts import second_factor, selectors, services
from marketplace.accounts.forms import OwnerRegistrationForm, RegistrationForm
from marketplace.accounts.middleware import client_ip, user_agent
from marketplace.accounts.models import Organization
from marketplace.api import fields
from marketplace.api.forms import validated_form_data
from marketplace.errors import NotAllowed


class OrganizationSerializer(serializers.ModelSerializer):
    # A regulator (and an organization made before regions were required) has none.
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Organization
        fields = ["id", "name", "uscc", "kind", "owner_kind", "status", "region",
                  "credit_score", "credit_grade"]


class AgencyRegistrationSerializer(serializers.Serializer):
    name = fields.CharField(kind="line")
    uscc = fields.CharField(max_length=64)
    region = fields.CharField(max_length=32, help_text="Region code (GB/T 2260), see GET regions/")
    contact_name = fields.CharField(max_length=100)
    phone = fields.CharField(max_length=32)
    email = serializers.EmailField()
    username = fields.CharField(max_length=150)
    password = serializers.CharField(write_only=True)


class OwnerRegistrationSerializer(AgencyRegistrationSerializer):
    owner_kind = serializers.ChoiceField(choices=Organization.OwnerKind.choices)


class RegistrationResultSerializer(serializers.Serializer):
    organization = OrganizationSerializer()
    token = serializers.CharField()


class TokenRequestSerializer(serializers.Serializer):
    username = fields.CharField(max_length=150)
    password = serializers.CharField(write_only=True)
    otp_code = fields.CharField(
        max_length=32, write_only=True, required=False, allow_blank=True,
        help_text="The current code of the user's authenticator app (or a recovery code); "
                  "required when the user has set up two-step verification")


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    organization = OrganizationSerializer(allow_null=True)
    role = serializers.CharField(allow_null=True)


class _RegisterView(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    form_class = RegistrationForm

    def post(self, request):
        data = validated_form_data(self.form_class, request.data)
        organization, user = services.register_organization(kind=self.form_class.kind, **data)
        _token, key = services.api_token_issue(user=user, ip=client_ip(request),
                                               user_agent=user_agent(request))
        return Response(
            {"organization": OrganizationSerializer(organization).data, "token": key},
            status=status.HTTP_201_CREATED,
        )


class RegisterAgencyView(_RegisterView):
    form_class = RegistrationForm

    @extend_schema(request=AgencyRegistrationSerializer,
                   responses={201: RegistrationResultSerializer},
                   summary="Register an agency (immediate, no approval)")
    def post(self, request):
        return super().post(request)


class RegisterOwnerView(_RegisterView):
    form_class = OwnerRegistrationForm

    @extend_schema(request=OwnerRegistrationSerializer,
                   responses={201: RegistrationResultSerializer},
                   summary="Register a project owner (immediate, no approval)")
    def post(self, request):
        return super().post(request)


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The key: shown this once, never again")
    id = serializers.IntegerField()
    prefix = serializers.CharField()
    expires_at = serializers.DateTimeField(help_text="Slides forward with every use")


class TokenView(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: IssuedTokenSerializer,
                   429: inline_serializer("LockedOut", {
                       "detail": serializers.CharField(), "code": serializers.CharField(),
                       "retry_after": serializers.IntegerField(help_text="seconds"),
                       "retry_at": serializers.DateTimeField()})},
        summary="Exchange a user name and password (and a second-factor code) for a new API "
                "token",
        description="Each call issues a new token (list and revoke them at auth/tokens/). "
                    "Too many failures for a user name or from an address: 429 "
                    "`auth.locked_out` with `Retry-After`. A user with two-step verification "
                    "sends `otp_code` too: missing 403 `otp.code_required`, wrong 403 "
                    "`otp.code_invalid` (counts as a failed login). A regulator or superuser "
                    "without it is refused 403 `otp.enrollment_required`.")
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Django's request, not DRF's: axes marks a refused login on it and its middleware
        # answers 429 (marketplace.accounts.lockout).
        data = serializer.validated_data
        user = authenticate(request._request, username=data["username"],
                            password=data["password"])
        if user is None:
            raise NotAllowed(_("Wrong user name or password."), code="auth.wrong_credentials")
        second_factor.check_login_second_factor(request._request, user, data.get("otp_code"))
        token, key = services.api_token_issue(user=user, ip=client_ip(request),
                                              user_agent=user_agent(request))
        # A token login is a login: last_login, and the user name's failures are forgotten.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response({"token": key, "id": token.pk, "prefix": token.prefix,
                         "expires_at": token.expires_at})


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeSerializer}, summary="The current user and organization")
    def get(self, request):
        membership = selectors.membership_of(request.user)
        return Response(MeSerializer({
            "username": request.user.get_username(),
            "organization": membership.organization if membership else None,
            "role": membership.role if membership else None,
        }).data)
