"""Open data for anyone: the OCDS 1.1 release package and the credit table (CSV and JSON)."""

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.errors import DomainError
from ratings.opendata import credit, ocds


class FirstRenderer(BaseContentNegotiation):
    """A download answers in its own format whatever the client's Accept header says."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def parse_since(value: str | None):
    if not value:
        return None
    try:
        moment = parse_datetime(value.replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise DomainError(_("Give an ISO 8601 time with its offset, e.g. "
                            "2026-03-01T00:00:00+08:00."), field="since")
    return moment


class OCDSPackage(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(summary="OCDS 1.1 release package of all published projects",
                   description="One release per published project (tender, bids statistics, "
                               "bids after opening only, awards, contracts, parties with their "
                               "USCC). `since` keeps the projects changed at or after an ISO "
                               "8601 time.",
                   parameters=[OpenApiParameter("since", OpenApiTypes.DATETIME,
                                                required=False)],
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        since = parse_since(request.query_params.get("since"))
        package = ocds.release_package(
            uri=request.build_absolute_uri(),
            publication_policy=request.build_absolute_uri(reverse("ratings:open_data")),
            since=since)
        return Response(package)


class _Download(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    content_negotiation_class = FirstRenderer


class CreditCSV(_Download):
    @extend_schema(summary="Credit of every agency and owner as CSV (UTF-8 with BOM)",
                   description="Columns: " + ", ".join(credit.COLUMNS) + ".",
                   responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request):
        response = StreamingHttpResponse(credit.csv_chunks(),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="credit.csv"'
        return response


CREDIT_ROW = inline_serializer("CreditRow", many=True, fields={
    "id": serializers.IntegerField(),
    "name": serializers.CharField(),
    "uscc": serializers.CharField(),
    "kind": serializers.CharField(),
    "score": serializers.DecimalField(max_digits=5, decimal_places=2),
    "grade": serializers.CharField(),
    "blacklisted": serializers.BooleanField(),
    "blacklisted_until": serializers.DateTimeField(allow_null=True),
    "status": serializers.CharField(),
})


class CreditJSON(_Download):
    @extend_schema(summary="Credit of every agency and owner as a JSON array",
                   responses={(200, "application/json"): CREDIT_ROW})
    def get(self, request):
        return StreamingHttpResponse(credit.json_chunks(),
                                     content_type="application/json; charset=utf-8")
