"""Violation cases (due process): opened by an owner or a regulator, answered by the
organization, decided by a regulator. Visible to the parties and regulators only (404 to
everyone else)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from bidding.models import Project
from marketplace.accounts.models import Organization
from marketplace.api import fields
from marketplace.errors import NotFound
from marketplace.files import file_response
from ratings import selectors
from ratings.api.base import RatingsAPIView, ReadAnyoneWriteRegulators
from ratings.models import CaseEvidence, ViolationCase
from ratings.rules import check_may_open_case, check_respondent_replies
from ratings.services import cases as services

CONFLICT = OpenApiResponse(description="The case's state or the clock does not allow it.")
FORBIDDEN = OpenApiResponse(description="The caller may not do this.")


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    party = serializers.CharField()
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, evidence) -> str:
        path = reverse("api:case_evidence", args=[evidence.case_id, evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class CaseSerializer(serializers.ModelSerializer):
    respondent_name = serializers.CharField(source="respondent.name")
    opened_by_organization_name = serializers.CharField(source="opened_by_organization.name")
    evidence = EvidenceSerializer(many=True)

    class Meta:
        model = ViolationCase
        fields = ["id", "respondent", "respondent_name", "opened_by_organization",
                  "opened_by_organization_name", "project", "grounds", "statement", "status",
                  "opened_at", "reply_due_at", "reply", "replied_at", "decision",
                  "decline_reason", "decided_at", "credit_event", "blacklist_entry", "evidence"]


class CaseInputSerializer(serializers.Serializer):
    respondent = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    grounds = serializers.ChoiceField(choices=ViolationCase.Grounds.choices)
    statement = fields.CharField(kind="statement")
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.exclude(status=Project.Status.DRAFT), required=False,
        allow_null=True)
    evidence = serializers.ListField(child=serializers.FileField(), required=False,
                                     help_text="Multipart: evidence files (PDF, JPEG, PNG).")


class CaseReplySerializer(serializers.Serializer):
    text = fields.CharField(kind="reply")
    evidence = serializers.ListField(child=serializers.FileField(), required=False)


class CaseDecisionSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    decision = fields.CharField(kind="decision")
    decline_reason = serializers.ChoiceField(
        choices=[c for c in ViolationCase.DeclineReason.values if c], required=False,
        default="", help_text="Required when not upheld.")
    blacklist_until = fields.DateTimeField(
        required=False, allow_null=True, default=None,
        help_text="Upheld only: also blacklist until this time (serious grounds are listed "
                  "by the rules anyway).")


class CasesAPIView(RatingsAPIView):
    permission_classes = [IsAuthenticated]

    def case(self, pk) -> ViolationCase:
        case = services.visible_cases(self.organization()).filter(pk=pk).first()
        if case is None:
            raise NotFound()
        return case

    def render(self, case, code=status.HTTP_200_OK):
        case = ViolationCase.objects.prefetch_related("evidence").select_related(
            "respondent", "opened_by_organization").get(pk=case.pk)
        return Response(CaseSerializer(case, context={"request": self.request}).data,
                        status=code)


class Cases(CasesAPIView, generics.GenericAPIView):
    serializer_class = CaseSerializer
    queryset = ViolationCase.objects.none()

    @extend_schema(summary="Violation cases the caller is party to (regulators: all)",
                   parameters=[OpenApiParameter(
                       "status", str, description="A case status, or `ready`: replied, or "
                                                  "unanswered after the reply period")],
                   responses={200: CaseSerializer(many=True)})
    def get(self, request):
        cases = services.visible_cases(self.organization()).prefetch_related("evidence")
        wanted = request.query_params.get("status")
        if wanted == "ready":
            cases = selectors.cases_ready_for_decision(cases)
        elif wanted in ViolationCase.Status.values:
            cases = cases.filter(status=wanted)
        page = self.paginate_queryset(cases)
        return self.get_paginated_response(
            CaseSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(summary="Open a violation case (an owner about an agency it dealt with, or "
                           "a regulator)", request=CaseInputSerializer,
                   responses={201: CaseSerializer, 403: FORBIDDEN})
    def post(self, request):
        check_may_open_case(by=request.user)  # before the body (issue 13 §2)
        body = CaseInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        case = services.case_open(respondent=data["respondent"], grounds=data["grounds"],
                                  statement=data["statement"], project=data.get("project"),
                                  files=data.get("evidence", ()), by=request.user)
        return self.render(case, status.HTTP_201_CREATED)


class CaseDetail(CasesAPIView):
    @extend_schema(summary="A violation case (its parties and regulators)",
                   responses={200: CaseSerializer})
    def get(self, request, pk):
        return self.render(self.case(pk))


class CaseReply(CasesAPIView):
    @extend_schema(summary="Reply to a case with evidence (the organization concerned, within "
                           "the reply period)", request=CaseReplySerializer,
                   responses={200: CaseSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        case = self.case(pk)
        check_respondent_replies(case=case, by=request.user)
        body = CaseReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.case_reply(case=case, text=body.validated_data["text"],
                                   files=body.validated_data.get("evidence", ()),
                                   by=request.user)
        return self.render(case)


class CaseDecide(CasesAPIView):
    permission_classes = [ReadAnyoneWriteRegulators]
    @extend_schema(summary="Decide a case with a written decision (regulators)",
                   request=CaseDecisionSerializer,
                   responses={200: CaseSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        body = CaseDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.case_decide(case=self.case(pk), by=request.user, **body.validated_data)
        return self.render(case)


class CaseEvidenceFile(CasesAPIView):
    @extend_schema(summary="Download a piece of evidence (the case's parties and regulators)",
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk, evidence_pk):
        case = self.case(pk)
        evidence = CaseEvidence.objects.filter(case=case, pk=evidence_pk).first()
        if evidence is None:
            raise NotFound()
        return file_response(evidence)
