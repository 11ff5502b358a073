"""Complaints: filed by anyone logged in, handled and answered by regulators. The public list
shows decided complaints only, without the complainant."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from bidding.models import Project
from marketplace.accounts.models import Organization
from marketplace.api import fields
from marketplace.errors import NotFound
from marketplace.files import file_response
from marketplace.params import api_id_param
from ratings.api.base import RatingsAPIView, ReadAnyoneWriteRegulators
from ratings.models import Complaint, ComplaintAttachment
from ratings.services import complaints as services

CONFLICT = OpenApiResponse(description="The complaint's state does not allow it.")
FORBIDDEN = OpenApiResponse(description="Regulators only.")


class PublicComplaintSerializer(serializers.ModelSerializer):
    """What everyone may read: never who complained, nor the attachments."""

    subject_name = serializers.CharField(source="subject.name")
    subject_kind = serializers.CharField(source="subject.kind")

    class Meta:
        model = Complaint
        fields = ["id", "subject", "subject_name", "subject_kind", "project", "status",
                  "submitted_at", "outcome", "decided_at"]


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class PublicComplainantSerializer(serializers.Serializer):
    """Who filed without an account: only regulators read it (such a complainant has no
    account to read the API with)."""

    name = serializers.CharField()
    contact_kind = serializers.CharField()
    contact = serializers.CharField()
    verified_at = serializers.DateTimeField()


class ComplaintSerializer(PublicComplaintSerializer):
    """For the complainant and regulators."""

    complainant = serializers.CharField(source="complainant.username", allow_null=True,
                                        help_text="Empty for a complaint filed without an "
                                                  "account (see public_complainant).")
    public_complainant = PublicComplainantSerializer(allow_null=True, read_only=True)
    complainant_organization = serializers.IntegerField(source="complainant_organization_id",
                                                        allow_null=True)
    attachments = AttachmentSerializer(many=True)

    class Meta(PublicComplaintSerializer.Meta):
        fields = [*PublicComplaintSerializer.Meta.fields, "text", "complainant",
                  "complainant_organization", "public_complainant", "handling_since",
                  "attachments"]


class ComplaintInputSerializer(serializers.Serializer):
    subject = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.filter(
        kind__in=(Organization.Kind.AGENCY, Organization.Kind.OWNER)),
        help_text="The agency or owner complained about.")
    text = fields.CharField(kind="statement")
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.exclude(status=Project.Status.DRAFT), required=False,
        allow_null=True)
    attachments = serializers.ListField(child=serializers.FileField(), required=False,
                                        help_text="Multipart: PDF, JPEG or PNG files.")


class ComplaintDecisionSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    outcome = fields.CharField(kind="decision")


def _visible(request, pk) -> Complaint:
    complaint = services.visible_complaints(request.user).filter(pk=pk).first()
    if complaint is None:
        raise NotFound()
    return complaint


def _full(complaint, request, code=status.HTTP_200_OK) -> Response:
    complaint = (Complaint.objects.select_related("subject", "complainant",
                                                  "public_complainant")
                 .prefetch_related("attachments").get(pk=complaint.pk))
    return Response(ComplaintSerializer(complaint, context={"request": request}).data,
                    status=code)


class Complaints(RatingsAPIView, generics.GenericAPIView):
    serializer_class = PublicComplaintSerializer
    queryset = Complaint.objects.none()

    @extend_schema(summary="Decided complaints and their outcomes (anyone; no complainant)",
                   responses={200: PublicComplaintSerializer(many=True)})
    def get(self, request):
        complaints = services.public_complaints()
        subject = api_id_param(request.query_params, "subject")
        if subject is not None:
            complaints = complaints.filter(subject_id=subject)
        page = self.paginate_queryset(complaints)
        return self.get_paginated_response(PublicComplaintSerializer(page, many=True).data)

    @extend_schema(summary="File a complaint about an agency or an owner (anyone logged in)",
                   request=ComplaintInputSerializer, responses={201: ComplaintSerializer})
    def post(self, request):
        body = ComplaintInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        complaint = services.complaint_submit(subject=data["subject"], text=data["text"],
                                              project=data.get("project"),
                                              files=data.get("attachments", ()),
                                              by=request.user)
        return _full(complaint, request, status.HTTP_201_CREATED)


class ComplaintQueue(RatingsAPIView, generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ComplaintSerializer
    queryset = Complaint.objects.none()

    @extend_schema(summary="Full complaints: regulators see all (filter `status`), others "
                           "their own", responses={200: ComplaintSerializer(many=True)})
    def get(self, request):
        complaints = services.visible_complaints(request.user).prefetch_related("attachments")
        if request.query_params.get("status") in Complaint.Status.values:
            complaints = complaints.filter(status=request.query_params["status"])
        page = self.paginate_queryset(complaints)
        return self.get_paginated_response(ComplaintSerializer(page, many=True).data)


class ComplaintDetail(RatingsAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="A complaint in full (its complainant and regulators)",
                   responses={200: ComplaintSerializer})
    def get(self, request, pk):
        return _full(_visible(request, pk), request)


class ComplaintAccept(RatingsAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Take a complaint up for handling (regulators)", request=None,
                   responses={200: ComplaintSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        complaint = services.complaint_accept(complaint=_visible(request, pk), by=request.user)
        return _full(complaint, request)


class ComplaintDecide(RatingsAPIView):
    permission_classes = [ReadAnyoneWriteRegulators]

    @extend_schema(summary="Answer a complaint with its outcome (regulators)",
                   request=ComplaintDecisionSerializer,
                   responses={200: ComplaintSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        body = ComplaintDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        complaint = services.complaint_decide(complaint=_visible(request, pk), by=request.user,
                                              **body.validated_data)
        return _full(complaint, request)


class ComplaintAttachmentFile(RatingsAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Download a complaint's attachment (its complainant, regulators)",
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk, attachment_pk):
        complaint = _visible(request, pk)
        attachment = ComplaintAttachment.objects.filter(complaint=complaint,
                                                        pk=attachment_pk).first()
        if attachment is None:
            raise NotFound()
        return file_response(attachment)
