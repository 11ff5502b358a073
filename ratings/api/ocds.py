"""OCDS releases and records for anyone (issue 17 §5): the stored releases as release
packages, the compiled records as record packages, both paginated by date, and one project's
releases and record. The snapshot package (`open-data/ocds/`) stays as it was."""

from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ratings.api.opendata import parse_since
from ratings.opendata import ocds_packages

PAGE_PARAMETERS = [
    OpenApiParameter("since", OpenApiTypes.DATETIME, required=False,
                     description="Items dated at or after this ISO 8601 time (with offset)."),
    OpenApiParameter("cursor", OpenApiTypes.STR, required=False,
                     description="Opaque: the `links.next` of the previous page carries it."),
    OpenApiParameter("limit", OpenApiTypes.INT, required=False,
                     description="Items per page (default OCDS_PAGE_SIZE, at most "
                                 "OCDS_MAX_PAGE_SIZE)."),
]


class _Open(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def policy(self) -> str:
        return self.request.build_absolute_uri(reverse("ratings:open_data"))

    def next_url(self, cursor: str) -> str:
        params = {k: v for k, v in self.request.query_params.items() if k != "cursor"}
        params["cursor"] = cursor
        return self.request.build_absolute_uri(f"{self.request.path}?{urlencode(params)}")

    def releases_url(self, project_id: int) -> str:
        return self.request.build_absolute_uri(
            reverse("api:open_data_ocds_project_releases", args=[project_id]))

    def project(self, pk: int):
        project = ocds_packages.public_project(pk)
        if project is None:
            raise Http404
        return project


class OCDSReleases(_Open):
    @extend_schema(summary="OCDS release package: every release, by date",
                   description="One release per change of a published project (tender, "
                               "amendment, award, contract, implementation), as published and "
                               "never changed; in date order, `links.next` for the next page.",
                   parameters=PAGE_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        page = ocds_packages.page_from(request.query_params, parse_since)
        return Response(ocds_packages.release_package(
            page=page, uri=request.build_absolute_uri(), publication_policy=self.policy(),
            next_url=self.next_url))


class OCDSRecords(_Open):
    @extend_schema(summary="OCDS record package: one compiled record per project, by date",
                   description="Each record links its releases and holds the compiled release "
                               "(merged with ocdsmerge); ordered by the project's latest "
                               "release, `links.next` for the next page.",
                   parameters=PAGE_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        page = ocds_packages.page_from(request.query_params, parse_since)
        return Response(ocds_packages.record_package(
            page=page, uri=request.build_absolute_uri(), publication_policy=self.policy(),
            next_url=self.next_url, releases_url=self.releases_url))


class OCDSProjectReleases(_Open):
    @extend_schema(summary="OCDS release package of one project's releases",
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk: int):
        return Response(ocds_packages.project_release_package(
            self.project(pk), uri=request.build_absolute_uri(), publication_policy=self.policy()))


class OCDSProjectRecord(_Open):
    @extend_schema(summary="OCDS record package of one project",
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk: int):
        project = self.project(pk)
        return Response(ocds_packages.project_record_package(
            project, uri=request.build_absolute_uri(), publication_policy=self.policy(),
            releases_url=self.releases_url(project.pk)))
