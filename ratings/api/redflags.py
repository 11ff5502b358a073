"""Red flags (API.md "Added in round 2"): regulators only; everyone else is refused (401 for
the anonymous, 403 otherwise) before anything is read."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from marketplace.actors import require_regulator
from marketplace.params import api_id_param
from ratings.models import Indicator, RedFlag, RedFlagRun
from ratings.redflags import selectors
from ratings.redflags.explain import explanation
from ratings.services import redflags as services

FORBIDDEN = OpenApiResponse(description="Only regulators read and compute red flags.")


class RegulatorsOnly(BasePermission):
    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        require_regulator(request.user)
        return True


class PartySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="organization_id")
    name = serializers.CharField(source="organization.name")
    role = serializers.CharField()


class RedFlagSerializer(serializers.ModelSerializer):
    organizations = PartySerializer(source="parties", many=True)
    explanation = serializers.SerializerMethodField()
    dismissed = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()

    class Meta:
        model = RedFlag
        fields = ["id", "indicator", "project", "organizations", "figures", "explanation",
                  "created_at", "computed_at", "cleared_at", "dismissed", "dismissed_at",
                  "dismissed_reason", "state"]

    def get_explanation(self, flag) -> str:
        return explanation(flag)

    def get_dismissed(self, flag) -> bool:
        return flag.is_dismissed

    def get_state(self, flag) -> str:
        if flag.is_dismissed:
            return "dismissed"
        return "cleared" if flag.cleared_at else "open"


class RunSerializer(serializers.ModelSerializer):
    class Meta:
        model = RedFlagRun
        fields = ["id", "started_at", "finished_at", "counts"]


class RedFlags(generics.GenericAPIView):
    permission_classes = [RegulatorsOnly]
    serializer_class = RedFlagSerializer
    queryset = RedFlag.objects.none()

    @extend_schema(summary="Red flags (regulators)", parameters=[
        OpenApiParameter("indicator", str, enum=Indicator.values),
        OpenApiParameter("project", int), OpenApiParameter("organization", int,
                                                           description="Named by the flag, "
                                                           "or owner of its project"),
        OpenApiParameter("state", str, enum=selectors.STATES,
                         description="open (default), dismissed, cleared or all")],
        responses={200: RedFlagSerializer(many=True), 403: FORBIDDEN})
    def get(self, request):
        state = request.query_params.get("state") or "open"
        flags = selectors.filtered(
            selectors.visible_flags(require_regulator(request.user)),
            indicator=request.query_params.get("indicator", ""),
            project=api_id_param(request.query_params, "project"),
            organization=api_id_param(request.query_params, "organization"),
            state=state if state in selectors.STATES else "open")
        page = self.paginate_queryset(flags)
        return self.get_paginated_response(RedFlagSerializer(page, many=True).data)


class RedFlagsRun(generics.GenericAPIView):
    permission_classes = [RegulatorsOnly]
    serializer_class = RunSerializer
    queryset = RedFlagRun.objects.none()

    @extend_schema(summary="Compute every red-flag indicator now (regulators)", request=None,
                   responses={201: RunSerializer, 403: FORBIDDEN})
    def post(self, request):
        run = services.red_flags_run(by=request.user)
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)
