"""`GET /api/v1/price-index/?service_item=&region=` (API.md round 2, issue 15 §3): the same
figures as the public price-index pages. Without `service_item`: every active item's figures
over the last 12 months (the overview page)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from bidding.selectors_price_index import (
    SERIES_MONTHS,
    SUMMARY_MONTHS,
    ItemIndex,
    item_index,
    min_projects,
    overview,
)
from marketplace.catalog.models import Region, ServiceItem
from marketplace.errors import DomainError


class SpreadSerializer(serializers.Serializer):
    median = serializers.DecimalField(max_digits=14, decimal_places=2)
    q1 = serializers.DecimalField(max_digits=14, decimal_places=2)
    q3 = serializers.DecimalField(max_digits=14, decimal_places=2)


class FiguresSerializer(serializers.Serializer):
    projects = serializers.IntegerField()
    price = SpreadSerializer(allow_null=True, help_text="Winning prices (yuan).")
    discount_rate = SpreadSerializer(
        allow_null=True, help_text="(budget cap − winning price) / budget cap, in percent.")
    bids_per_project = serializers.DecimalField(max_digits=6, decimal_places=1,
                                                allow_null=True)


class MonthSerializer(FiguresSerializer):
    month = serializers.CharField(help_text="YYYY-MM, Beijing time; the award became final.")


class PlaceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ItemIndexSerializer(serializers.Serializer):
    service_item = PlaceSerializer()
    region = PlaceSerializer(allow_null=True)
    min_projects = serializers.IntegerField(help_text="Fewer projects: not enough data.")
    summary_months = serializers.IntegerField()
    summary = FiguresSerializer(help_text="The last `summary_months` months.")
    months = MonthSerializer(many=True, help_text="Oldest first.")


class OverviewRowSerializer(FiguresSerializer):
    service_item = PlaceSerializer()


class OverviewSerializer(serializers.Serializer):
    region = PlaceSerializer(allow_null=True)
    min_projects = serializers.IntegerField()
    summary_months = serializers.IntegerField()
    items = OverviewRowSerializer(many=True)


def _place(obj) -> dict | None:
    if obj is None:
        return None
    return {"code": obj.code, "name": getattr(obj, "display_name", obj.name)}


def index_data(index: ItemIndex) -> dict:
    return {"service_item": _place(index.item), "region": _place(index.region),
            "min_projects": min_projects(), "summary_months": SUMMARY_MONTHS,
            "summary": index.summary.as_dict(),
            "months": [{"month": m.label, **m.figures.as_dict()} for m in index.months]}


@extend_schema(
    summary="Price index: winning prices and discount rates per month",
    parameters=[
        OpenApiParameter("service_item", str, description="A service item's code; omitted: "
                         "every active item over the last 12 months."),
        OpenApiParameter("region", str, description="A region's code (GB/T 2260); a "
                         "province-level code covers its cities, districts and counties."),
    ],
    # One item's index with `service_item`, the overview of every item without it.
    responses={200: PolymorphicProxySerializer(
                   component_name="PriceIndexAnswer",
                   serializers=[ItemIndexSerializer, OverviewSerializer],
                   resource_type_field_name=None),
               400: OpenApiResponse(description="Unknown service item or region.")},
    description=f"Only projects whose bids were opened and whose award is final count. "
                f"`months` covers the last {SERIES_MONTHS} months. Without `service_item` "
                f"the answer is the overview ({{region, min_projects, summary_months, items}}).",
)
class PriceIndex(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        region = None
        region_code = (request.query_params.get("region") or "").strip()
        if region_code:
            region = Region.objects.filter(code=region_code[:12]).first()
            if region is None:
                raise DomainError(_("No region has this code."), field="region",
                                  code="price_index.unknown_region")
        item_code = (request.query_params.get("service_item") or "").strip()
        if not item_code:
            return Response({
                "region": _place(region), "min_projects": min_projects(),
                "summary_months": SUMMARY_MONTHS,
                "items": [{"service_item": _place(row.item), **row.figures.as_dict()}
                          for row in overview(region)]})
        item = ServiceItem.objects.filter(code=item_code[:32]).first()
        if item is None:
            raise DomainError(_("No service item has this code."), field="service_item",
                              code="price_index.unknown_service_item")
        return Response(index_data(item_index(item, region)))
