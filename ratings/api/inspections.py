"""Random inspections (双随机、一公开): plans by regulators, the verifiable draw, results. Drawn
plans, their draws and their results are public; plans not yet drawn are their regulator's."""

from django.db.models import Q
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from marketplace.api import fields
from marketplace.catalog.models import Region, ServiceItem
from marketplace.errors import NotFound
from ratings.api.base import RatingsAPIView, ReadAnyoneWriteRegulators
from ratings.models import InspectionPlan, InspectionTarget
from ratings.services import inspections as services

CONFLICT = OpenApiResponse(description="The plan's state does not allow it.")
FORBIDDEN = OpenApiResponse(description="Regulators only (the plan's own for its actions).")


class InspectorSerializer(serializers.Serializer):
    code = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()

    def get_code(self, user) -> str:
        return services.inspector_code(user.pk)

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class TargetSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name")
    uscc = serializers.CharField(source="agency.uscc")
    inspectors = InspectorSerializer(many=True)

    class Meta:
        model = InspectionTarget
        fields = ["id", "position", "agency", "agency_name", "uscc", "seed", "index",
                  "inspector_draws", "inspectors", "result", "findings", "recorded_at"]


class PlanSerializer(serializers.ModelSerializer):
    # Null: the plan draws from every service item / every region.
    service_item = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                                allow_null=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    regulator_name = serializers.CharField(source="regulator.name")
    draw_secret = serializers.CharField(source="revealed_secret",
                                        help_text="Empty until the draw reveals it.")
    targets = TargetSerializer(many=True)

    class Meta:
        model = InspectionPlan
        fields = ["id", "title", "regulator", "regulator_name", "service_item", "region",
                  "grades", "sample_size", "inspectors_per_agency", "status", "created_at",
                  "draw_commitment", "draw_secret", "drawn_at", "pool", "inspector_pool",
                  "completed_at", "targets"]


class PlanInputSerializer(serializers.Serializer):
    title = fields.CharField(kind="title")
    sample_size = serializers.IntegerField(min_value=1, max_value=services.MAX_SAMPLE,
                                           help_text="K: how many agencies to draw.")
    inspectors_per_agency = serializers.IntegerField(min_value=1, max_value=10, default=2)
    service_item = serializers.SlugRelatedField(slug_field="code", required=False,
                                                allow_null=True,
                                                queryset=ServiceItem.objects.all())
    region = serializers.SlugRelatedField(slug_field="code", required=False, allow_null=True,
                                          queryset=Region.objects.all())
    grades = serializers.ListField(child=serializers.CharField(max_length=1), required=False,
                                   default=list, help_text="Credit grades among A, B, C, D; "
                                                           "none: every grade.")


class ResultInputSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    findings = fields.CharField(kind="decision", required=False, allow_blank=True, default="")


def visible_plans(organization):
    plans = InspectionPlan.objects.select_related("regulator", "service_item", "region")
    mine = Q(regulator=organization) if organization is not None else Q(pk__in=[])
    return plans.filter(Q(drawn_at__isnull=False) | mine)


def _plan(organization, pk) -> InspectionPlan:
    plan = visible_plans(organization).filter(pk=pk).first()
    if plan is None:
        raise NotFound()
    return plan


def _render(plan, code=status.HTTP_200_OK) -> Response:
    plan = (InspectionPlan.objects.select_related("regulator", "service_item", "region")
            .prefetch_related("targets__agency", "targets__inspectors").get(pk=plan.pk))
    return Response(PlanSerializer(plan).data, status=code)


class Plans(RatingsAPIView, generics.GenericAPIView):
    permission_classes = [ReadAnyoneWriteRegulators]
    serializer_class = PlanSerializer
    queryset = InspectionPlan.objects.none()

    @extend_schema(summary="Inspection plans: drawn ones for anyone, plus the caller "
                           "regulator's own", responses={200: PlanSerializer(many=True)})
    def get(self, request):
        plans = visible_plans(self.organization()).prefetch_related(
            "targets__agency", "targets__inspectors")
        page = self.paginate_queryset(plans)
        return self.get_paginated_response(PlanSerializer(page, many=True).data)

    @extend_schema(summary="Create an inspection plan (regulators); its draw commitment is "
                           "published at once", request=PlanInputSerializer,
                   responses={201: PlanSerializer, 403: FORBIDDEN})
    def post(self, request):
        body = PlanInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.plan_create(by=request.user, **body.validated_data)
        return _render(plan, status.HTTP_201_CREATED)


class PlanDetail(RatingsAPIView):
    @extend_schema(summary="An inspection plan with its draw and results",
                   responses={200: PlanSerializer})
    def get(self, request, pk):
        return _render(_plan(self.organization(), pk))


class PlanDraw(RatingsAPIView):
    @extend_schema(summary="Draw the agencies and inspectors (the plan's regulator)",
                   request=None, responses={200: PlanSerializer, 403: FORBIDDEN,
                                            409: CONFLICT})
    def post(self, request, pk):
        plan = services.plan_draw(plan=_plan(self.organization(), pk), by=request.user)
        return _render(plan)


class TargetResult(RatingsAPIView):
    permission_classes = [ReadAnyoneWriteRegulators]
    @extend_schema(summary="Record an inspection's result (its inspectors or the "
                           "regulator's administrator)", request=ResultInputSerializer,
                   responses={200: TargetSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        target = InspectionTarget.objects.filter(pk=pk, plan__drawn_at__isnull=False).first()
        if target is None:
            raise NotFound()
        body = ResultInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        target = services.inspection_record(target=target, by=request.user,
                                            **body.validated_data)
        return Response(TargetSerializer(target).data)
