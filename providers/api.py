"""API (API.md "Agencies"): the directory, profiles, an agency's own services and
qualifications, and the regulators' review. Views bind the pages' forms and call services."""

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts.models import Organization
from marketplace.accounts.selectors import membership_of
from marketplace.api import fields
from marketplace.api.forms import validated_form_data
from marketplace.errors import NotAllowed, NotFound
from providers import selectors, services
from providers.filters import AgencyFilter
from providers.forms import AgencyServiceEditForm, AgencyServiceForm, QualificationForm
from providers.models import AgencyService, Qualification

# --- Serializers (responses) ----------------------------------------------------------------


class AgencyListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()
    region = serializers.SerializerMethodField(help_text="Region code (GB/T 2260)")
    grade = serializers.SerializerMethodField()
    score = serializers.SerializerMethodField()
    blacklisted = serializers.SerializerMethodField()
    services = serializers.SerializerMethodField(help_text="Codes of the service items offered")
    verified = serializers.BooleanField(
        help_text="Holds at least one verified, unexpired qualification")

    def get_region(self, obj: Organization) -> str | None:
        return obj.region.code if obj.region_id else None

    def get_grade(self, obj: Organization) -> str:
        return selectors.credit_standing(obj).grade

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=2))
    def get_score(self, obj: Organization) -> str:
        return str(selectors.credit_standing(obj).score)

    def get_blacklisted(self, obj: Organization) -> bool:
        return obj.is_blacklisted(self.context.get("now"))

    def get_services(self, obj: Organization) -> list[str]:
        return [service.service_item.code for service in obj.services.all()]


class CreditSerializer(serializers.Serializer):
    score = fields.DecimalField(max_digits=5, decimal_places=2)
    grade = serializers.CharField()


class RatingSummarySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    average = fields.DecimalField(max_digits=4, decimal_places=2, allow_null=True)


class AgencyServiceSerializer(serializers.ModelSerializer):
    service_item = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service_item_name = serializers.CharField(source="service_item.display_name", read_only=True)

    class Meta:
        model = AgencyService
        fields = ["service_item", "service_item_name", "promised_days", "fee_standard",
                  "fee_max", "service_standard"]


class OwnAgencyServiceSerializer(AgencyServiceSerializer):
    class Meta(AgencyServiceSerializer.Meta):
        fields = [*AgencyServiceSerializer.Meta.fields, "regional_alerts", "updated_at"]


# Described, not enumerated: two components carry this field, and an enum component named
# for it would collide with the other `status` enums without a settings override.
@extend_schema_field({"type": "string", "readOnly": True,
                      "description": " | ".join(Qualification.Status.values)})
class QualificationStatusField(serializers.CharField):
    pass


class QualificationSerializer(serializers.ModelSerializer):
    type = serializers.SlugRelatedField(source="qualification_type", slug_field="code",
                                        read_only=True)
    status = QualificationStatusField(read_only=True)
    type_name = serializers.CharField(source="qualification_type.display_name", read_only=True)

    class Meta:
        model = Qualification
        fields = ["id", "type", "type_name", "number", "issuer", "valid_until", "status"]


class ReviewedQualificationSerializer(QualificationSerializer):
    """What the agency itself and regulators see: the review too."""

    agency = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(QualificationSerializer.Meta):
        fields = [*QualificationSerializer.Meta.fields, "agency", "reviewed_at",
                  "review_reason", "created_at"]


class AgencyDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="agency.id")
    name = serializers.CharField(source="agency.name")
    uscc = serializers.CharField(source="agency.uscc")
    region = serializers.SerializerMethodField(help_text="Region code (GB/T 2260)")
    status = serializers.CharField(source="agency.status")
    credit = CreditSerializer()
    rating_summary = RatingSummarySerializer(source="ratings")
    blacklisted = serializers.BooleanField()
    services = AgencyServiceSerializer(many=True)
    qualifications = QualificationSerializer(
        many=True, help_text="Verified and declared qualifications that have not expired")

    def get_region(self, obj: selectors.AgencyProfile) -> str | None:
        return obj.agency.region.code if obj.agency.region_id else None


# --- Serializers (requests; the forms validate, these describe the bodies) ----------------


class AgencyServiceRequestSerializer(serializers.Serializer):
    service_item = fields.CharField(max_length=32,
                                    help_text="Service item code, see GET service-items/")
    promised_days = serializers.IntegerField(min_value=1)
    fee_standard = fields.CharField(kind="note")
    fee_max = fields.DecimalField(max_digits=14, decimal_places=2, required=False,
                                       allow_null=True)
    service_standard = fields.CharField(kind="note")
    regional_alerts = serializers.BooleanField(required=False)


class AgencyServiceUpdateRequestSerializer(serializers.Serializer):
    promised_days = serializers.IntegerField(min_value=1)
    fee_standard = fields.CharField(kind="note")
    fee_max = fields.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    service_standard = fields.CharField(kind="note")
    regional_alerts = serializers.BooleanField()


class QualificationDeclareRequestSerializer(serializers.Serializer):
    type = fields.CharField(max_length=32, help_text="Qualification type code")
    number = fields.CharField(max_length=100)
    issuer = fields.CharField(kind="line")
    valid_until = fields.DateField()
    file = serializers.FileField(help_text="PDF, JPEG or PNG, checked by content; at most "
                                           "MARKETPLACE_MAX_UPLOAD_BYTES (10 MB)")


class ReviewRequestSerializer(serializers.Serializer):
    reason = fields.CharField(kind="reason", required=False, allow_blank=True)


class RejectRequestSerializer(serializers.Serializer):
    reason = fields.CharField(kind="reason")


ERRORS = {
    400: OpenApiResponse(description="Invalid input: field errors"),
    401: OpenApiResponse(description="Not authenticated"),
    403: OpenApiResponse(description="Not allowed"),
}

# --- Views ----------------------------------------------------------------------------------


@extend_schema(summary="The agency directory (filters, full-text search, ordering)")
class AgencyList(ListAPIView):
    serializer_class = AgencyListSerializer
    filterset_class = AgencyFilter

    def get_queryset(self):
        return selectors.directory_queryset()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}


class AgencyDetail(APIView):
    @extend_schema(summary="An agency's public profile",
                   responses={200: AgencyDetailSerializer, 404: OpenApiResponse()})
    def get(self, request, pk: int):
        try:
            profile = selectors.agency_profile(pk)
        except Organization.DoesNotExist:
            raise NotFound(_("No such agency."))
        return Response(AgencyDetailSerializer(profile).data)


def _own_agency(request) -> Organization:
    membership = membership_of(request.user)
    if membership is None or not membership.organization.is_agency:
        raise NotAllowed(_("Only intermediary agencies offer services and declare "
                           "qualifications."))
    return membership.organization


class MyServices(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="My agency's services with their three commitments",
                   responses={200: OwnAgencyServiceSerializer(many=True), **ERRORS})
    def get(self, request):
        agency = _own_agency(request)
        return Response(OwnAgencyServiceSerializer(selectors.agency_services(agency),
                                                   many=True).data)

    @extend_schema(summary="Offer a service item with its three commitments (agency admin)",
                   request=AgencyServiceRequestSerializer,
                   responses={201: OwnAgencyServiceSerializer, **ERRORS})
    def post(self, request):
        agency = _own_agency(request)
        data = validated_form_data(AgencyServiceForm, request.data)
        service = services.agency_service_add(agency=agency, by=request.user, **data)
        return Response(OwnAgencyServiceSerializer(service).data, status=status.HTTP_201_CREATED)


class MyService(APIView):
    permission_classes = [IsAuthenticated]

    def _service(self, request, code: str) -> AgencyService:
        agency = _own_agency(request)
        service = (AgencyService.objects.select_related("service_item", "agency")
                   .filter(agency=agency, service_item__code=code).first())
        if service is None:
            raise NotFound(_("Your agency does not offer this service item."))
        return service

    @extend_schema(summary="Change the commitments of a service (agency admin); bids and "
                           "contracts keep the commitments they were made with",
                   request=AgencyServiceUpdateRequestSerializer,
                   responses={200: OwnAgencyServiceSerializer, 404: OpenApiResponse(),
                              **ERRORS})
    def patch(self, request, code: str):
        service = self._service(request, code)
        current = {**service.commitments(), "fee_max": service.fee_max,
                   "regional_alerts": service.regional_alerts}
        # PATCH: what is not sent stays as it is; the page's form validates the result.
        data = validated_form_data(AgencyServiceEditForm, {**current, **_plain(request.data)})
        service = services.agency_service_update(service=service, by=request.user, **data)
        return Response(OwnAgencyServiceSerializer(service).data)

    @extend_schema(summary="Stop offering a service item (agency admin)", request=None,
                   responses={204: None, 404: OpenApiResponse(), **ERRORS})
    def delete(self, request, code: str):
        services.agency_service_remove(service=self._service(request, code), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _plain(data) -> dict:
    """A QueryDict (form-encoded body) as a plain dict of last values; JSON bodies as they are."""
    return dict(data.items()) if hasattr(data, "getlist") else dict(data)


class MyQualifications(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(summary="My agency's declared qualifications, rejected and expired included",
                   responses={200: ReviewedQualificationSerializer(many=True), **ERRORS})
    def get(self, request):
        agency = _own_agency(request)
        return Response(ReviewedQualificationSerializer(selectors.own_qualifications(agency),
                                                        many=True).data)

    @extend_schema(summary="Declare a qualification with its scan (agency admin)",
                   request={"multipart/form-data": QualificationDeclareRequestSerializer},
                   responses={201: ReviewedQualificationSerializer, **ERRORS})
    def post(self, request):
        agency = _own_agency(request)
        data = validated_form_data(QualificationForm, request.data, request.FILES)
        qualification = services.qualification_declare(
            agency=agency, qualification_type=data["type"], number=data["number"],
            issuer=data["issuer"], valid_until=data["valid_until"], file=data["file"],
            by=request.user,
        )
        return Response(ReviewedQualificationSerializer(qualification).data,
                        status=status.HTTP_201_CREATED)


class _Review(APIView):
    """Verify or reject: subclasses name the service that performs the review."""

    permission_classes = [IsAuthenticated]
    review_service: Callable[..., Qualification]

    def post(self, request, pk: int):
        qualification = Qualification.objects.filter(pk=pk).first()
        if qualification is None:
            raise NotFound(_("No such qualification."))
        # Lenient parsing: the service checks the regulator first (403), then the reason (400).
        body = ReviewRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reviewed = type(self).review_service(
            qualification=qualification, by=request.user,
            reason=body.validated_data.get("reason", ""))
        return Response(ReviewedQualificationSerializer(reviewed).data)


class QualificationVerify(_Review):
    review_service = services.qualification_verify

    @extend_schema(summary="Verify a declared qualification (regulator)",
                   request=ReviewRequestSerializer,
                   responses={200: ReviewedQualificationSerializer, 404: OpenApiResponse(),
                              409: OpenApiResponse(description="Already reviewed"), **ERRORS})
    def post(self, request, pk: int):
        return super().post(request, pk)


class QualificationReject(_Review):
    review_service = services.qualification_reject

    @extend_schema(summary="Reject a qualification with a reason (regulator)",
                   request=RejectRequestSerializer,
                   responses={200: ReviewedQualificationSerializer, 404: OpenApiResponse(),
                              409: OpenApiResponse(description="Already rejected"), **ERRORS})
    def post(self, request, pk: int):
        return super().post(request, pk)

