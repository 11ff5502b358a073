from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from marketplace.catalog.models import FeePricing, Region, ServiceItem
from marketplace.errors import NotFound


class ServiceItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceItem
        fields = ["code", "name", "name_en", "category", "reference_days"]

    # API.md's name since round 1; the published time limit (`time_limit_days`) is the same.
    reference_days = serializers.IntegerField(source="time_limit_days", read_only=True)


class ServiceItemDetailSerializer(ServiceItemSerializer):
    """The list's fields plus the seven published terms (API.md round 2 names them)."""

    category_en = serializers.CharField(read_only=True)
    workflow = serializers.ListField(child=serializers.CharField(), read_only=True,
                                     help_text="Ordered steps.")
    conditions = serializers.CharField(source="application_conditions", read_only=True,
                                       help_text="Application conditions (申请条件).")
    fee_pricing = serializers.ChoiceField(choices=FeePricing.choices, read_only=True)
    fee_pricing_display = serializers.CharField(source="get_fee_pricing_display",
                                                read_only=True)

    class Meta(ServiceItemSerializer.Meta):
        fields = [*ServiceItemSerializer.Meta.fields, "category_en", "legal_basis",
                  "time_limit_days", "workflow", "conditions", "fee_pricing",
                  "fee_pricing_display", "fee_standard", "competent_department", "is_monopoly",
                  "is_active"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


# Reference lists are small and API.md gives them as plain arrays: not paginated.
@extend_schema(summary="Service items (服务事项)")
class ServiceItemList(ListAPIView):
    queryset = ServiceItem.objects.filter(is_active=True)
    serializer_class = ServiceItemSerializer
    pagination_class = None
    filter_backends: list = []


@extend_schema(summary="A service item with its published terms (中介服务事项清单)",
               responses={200: ServiceItemDetailSerializer,
                          404: OpenApiResponse(description="No item has this code.")})
class ServiceItemDetail(RetrieveAPIView):
    # Withdrawn items stay readable: old projects and revisions still name them.
    queryset = ServiceItem.objects.all()
    serializer_class = ServiceItemDetailSerializer
    lookup_field = "code"
    pagination_class = None
    filter_backends: list = []

    def get_object(self):
        item = ServiceItem.objects.filter(code=self.kwargs["code"]).first()
        if item is None:
            raise NotFound(_("No service item has this code."))
        return item


@extend_schema(summary="Regions (行政区划)")
class RegionList(ListAPIView):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    pagination_class = None
    filter_backends: list = []
