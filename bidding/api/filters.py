import django_filters

from bidding.models import Project
from marketplace import search
from marketplace.params import IdFilter


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Full-text search")
    status = django_filters.ChoiceFilter(choices=Project.Status.choices)
    service_item = django_filters.CharFilter(field_name="service_item__code",
                                             label="Service item code")
    region = django_filters.CharFilter(field_name="region__code", label="Region code")
    budget_min = django_filters.NumberFilter(field_name="budget_cap", lookup_expr="gte")
    budget_max = django_filters.NumberFilter(field_name="budget_cap", lookup_expr="lte")
    owner = IdFilter(field_name="owner", label="Owner organization id")

    class Meta:
        model = Project
        fields = ["q", "status", "service_item", "region", "budget_min", "budget_max", "owner"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return search.ranked(queryset, search.search_ids("project", value))
