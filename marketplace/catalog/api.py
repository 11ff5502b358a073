from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from marketplace.catalog.models import Region, ServiceItem


class ServiceItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceItem
        fields = ["code", "name", "name_en", "category", "reference_days"]


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


@extend_schema(summary="Regions (行政区划)")
class RegionList(ListAPIView):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    pagination_class = None
    filter_backends: list = []
