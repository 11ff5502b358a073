"""Objections (质疑) to a proposed award: filed by bidders, decided by the owner or a
regulator."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from bidding import selectors, services
from bidding.api import serializers as s
from bidding.api.base import BiddingAPIView
from bidding.models import Objection
from bidding.rules import check_objects_as_bidder
from bidding.services.objections import check_decides_objections
from marketplace.errors import NotFound

CONFLICT = OpenApiResponse(description="The project's state or the clock does not allow it.")
FORBIDDEN = OpenApiResponse(description="The caller's organization may not do this.")


class ProjectObjections(BiddingAPIView, generics.GenericAPIView):
    serializer_class = s.ObjectionSerializer
    queryset = Objection.objects.none()  # for the schema; each request reads through selectors

    @extend_schema(summary="Objections to a project's award (owner, bidders, regulators)",
                   responses={200: s.ObjectionSerializer(many=True), 403: FORBIDDEN})
    def get(self, request, pk):
        project = self.visible_project(pk)
        objections = selectors.objections_for_viewer(project, self.organization())
        page = self.paginate_queryset(objections.select_related("bid"))
        data = s.ObjectionSerializer(page, many=True, context=self.context()).data
        return self.get_paginated_response(data)

    @extend_schema(summary="Object to the proposed award during publicity (a bidder)",
                   request=s.ObjectionInputSerializer,
                   responses={201: s.ObjectionSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        project = self.visible_project(pk)
        check_objects_as_bidder(project=project, agency=self.ensure_agency())
        body = s.ObjectionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        objection = services.objection_file(project=project, by=request.user,
                                             reason=body.validated_data["reason"],
                                             files=body.validated_data.get("files", ()))
        return Response(s.ObjectionSerializer(objection, context=self.context()).data,
                        status=status.HTTP_201_CREATED)


class ObjectionDecide(BiddingAPIView):
    @extend_schema(summary="Decide an objection (the owner or a regulator)",
                   description="Upheld: the award is cancelled and the project returns to "
                               "evaluation, without the awarded bid unless `exclude_bid` is "
                               "false.",
                   request=s.ObjectionDecisionSerializer,
                   responses={200: s.ObjectionSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        objection = Objection.objects.filter(pk=pk).first()
        if objection is None:
            raise NotFound()
        check_decides_objections(self.visible_project(objection.project_id), request.user)
        body = s.ObjectionDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        objection = services.objection_decide(objection=objection, by=request.user,
                                              **body.validated_data)
        return Response(s.ObjectionSerializer(objection, context=self.context()).data)
