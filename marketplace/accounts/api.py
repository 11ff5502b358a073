from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts import selectors, services
from marketplace.accounts.forms import OwnerRegistrationForm, RegistrationForm
from marketplace.accounts.models import Organization
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
    name = serializers.CharField()
    uscc = serializers.CharField()
    region = serializers.CharField(help_text="Region code (GB/T 2260), see GET regions/")
    contact_name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.EmailField()
    username = serializers.CharField()
    password = serializers.CharField(write_only=True)


class OwnerRegistrationSerializer(AgencyRegistrationSerializer):
    owner_kind = serializers.ChoiceField(choices=Organization.OwnerKind.choices)


class RegistrationResultSerializer(serializers.Serializer):
    organization = OrganizationSerializer()
    token = serializers.CharField()


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(write_only=True)


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
        token, _created = Token.objects.get_or_create(user=user)
        return Response(
            {"organization": OrganizationSerializer(organization).data, "token": token.key},
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


class TokenView(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    @extend_schema(request=TokenRequestSerializer,
                   responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
                   summary="Exchange a user name and password for an API token")
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request, **serializer.validated_data)
        if user is None:
            raise NotAllowed(_("Wrong user name or password."), code="auth.wrong_credentials")
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


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
