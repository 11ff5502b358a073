"""Projects: post, edit, publish, cancel, amend, open, award, finalize, re-publish."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from bidding import selectors, services
from bidding.api import serializers as s
from bidding.api.base import BiddingAPIView
from bidding.api.filters import ProjectFilter
from bidding.models import Amendment, Project
from marketplace.errors import NotAllowed

CONFLICT = OpenApiResponse(description="The project's state or the clock does not allow it.")
FORBIDDEN = OpenApiResponse(description="Not the project's owner.")


class ProjectActionView(BiddingAPIView):
    """A project detail in the response, re-read after the action."""

    def project_response(self, project: Project, code=status.HTTP_200_OK) -> Response:
        project = self.visible_project(project.pk)
        return Response(s.ProjectSerializer(project, context=self.context()).data, status=code)


class ProjectListCreate(ProjectActionView, generics.GenericAPIView):
    serializer_class = s.ProjectListSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        return selectors.projects_for_viewer(self.organization())

    @extend_schema(summary="List projects (drafts only for their owner)",
                   responses={200: s.ProjectListSerializer(many=True)})
    def get(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        data = s.ProjectListSerializer(page, many=True, context=self.context()).data
        return self.get_paginated_response(data)

    @extend_schema(summary="Post a project (as a draft)", request=s.ProjectInputSerializer,
                   responses={201: s.ProjectSerializer, 403: FORBIDDEN})
    def post(self, request):
        organization = self.organization()
        if organization is None or not organization.is_owner:
            raise NotAllowed(_("Only project owners can post projects."))
        body = s.ProjectInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = services.project_create(owner=organization, by=request.user,
                                          **body.to_terms())
        return self.project_response(project, status.HTTP_201_CREATED)

class ProjectDetail(ProjectActionView):
    @extend_schema(summary="A project, with its draw, award and contract when they exist",
                   responses={200: s.ProjectSerializer})
    def get(self, request, pk):
        return self.project_response(self.visible_project(pk))

    @extend_schema(summary="Edit a draft", request=s.ProjectInputSerializer(partial=True),
                   responses={200: s.ProjectSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def patch(self, request, pk):
        project = self.visible_project(pk)
        body = s.ProjectInputSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        project = services.project_update(project=project, by=request.user, **body.to_terms())
        return self.project_response(project)


class ProjectPublish(ProjectActionView):
    @extend_schema(summary="Publish a draft (open for bids)", request=None,
                   responses={200: s.ProjectSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        project = services.project_publish(project=self.visible_project(pk), by=request.user)
        return self.project_response(project)


class ProjectCancel(ProjectActionView):
    @extend_schema(summary="Cancel a draft or a project open for bids, with a public reason",
                   request=s.CancelSerializer,
                   responses={200: s.ProjectSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        project = self.owned_project(pk)
        body = s.CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = services.project_cancel(project=project, by=request.user,
                                          reason=body.validated_data["reason"])
        return self.project_response(project)


class ProjectAmendments(BiddingAPIView, generics.GenericAPIView):
    serializer_class = s.AmendmentSerializer
    queryset = Amendment.objects.none()  # for the schema; each request reads through selectors

    @extend_schema(summary="Correction notices of a project",
                   responses={200: s.AmendmentSerializer(many=True)})
    def get(self, request, pk):
        project = self.visible_project(pk)
        page = self.paginate_queryset(project.amendments.order_by("published_at", "id"))
        return self.get_paginated_response(s.AmendmentSerializer(page, many=True).data)

    @extend_schema(summary="Publish a correction notice while bidding",
                   description="Every live bid must then be re-confirmed or revised to count; "
                               "the deadline is extended to keep the minimum bidding period.",
                   request=s.AmendmentInputSerializer,
                   responses={201: s.AmendmentSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        project = self.owned_project(pk)
        body = s.AmendmentInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        amendment = services.project_amend(project=project, by=request.user,
                                           reason=body.validated_data["reason"],
                                           changes=body.to_changes())
        return Response(s.AmendmentSerializer(amendment).data, status=status.HTTP_201_CREATED)


class ProjectOpen(ProjectActionView):
    @extend_schema(summary="Open the bids after the deadline (idempotent)",
                   description="→ `evaluating`, or `failed` with too few valid bids. The beat "
                               "task opens due projects by itself.",
                   request=None,
                   responses={200: s.ProjectSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        project = services.project_open(project=self.visible_project(pk), by=request.user)
        return self.project_response(project)


class ProjectAward(ProjectActionView):
    @extend_schema(summary="Propose the award by the project's method",
                   description="`direct`: `{bid}`; `lowest_price` / `comprehensive`: `{}` "
                               "awards rank 1; `random`: `{}` performs the verifiable draw, "
                               "returned in `draw`. → `publicity`.",
                   request=s.AwardInputSerializer,
                   responses={200: s.ProjectSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        body = s.AwardInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = services.project_award(project=self.visible_project(pk), by=request.user,
                                         bid=body.validated_data.get("bid"))
        return self.project_response(project)


class ProjectFinalize(ProjectActionView):
    @extend_schema(summary="Make the award final after the publicity period (idempotent)",
                   request=None,
                   responses={200: s.ProjectSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        project = services.project_finalize(project=self.visible_project(pk), by=request.user)
        return self.project_response(project)


class ProjectRepublish(ProjectActionView):
    @extend_schema(summary="Post a failed project again as a new round (a new draft)",
                   request=s.RepublishSerializer,
                   responses={201: s.ProjectSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        body = s.RepublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = services.project_republish(project=self.visible_project(pk), by=request.user,
                                             **body.validated_data)
        return self.project_response(project, status.HTTP_201_CREATED)
