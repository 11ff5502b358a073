"""The public project list's filters: the API's FilterSet, limited to what the page offers and
with translated labels (drafts are never public, so they are no status choice)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from bidding.api.filters import ProjectFilter
from bidding.models import Project

PUBLIC_STATUSES = [(value, label) for value, label in Project.Status.choices
                   if value != Project.Status.DRAFT]


class ProjectPageFilter(ProjectFilter):
    q = django_filters.CharFilter(method="filter_q", label=_("Keywords"))
    status = django_filters.ChoiceFilter(choices=PUBLIC_STATUSES, label=_("Status"),
                                         empty_label=_("Any status"))
    service_item = django_filters.CharFilter(field_name="service_item__code",
                                             label=_("Service item code"))
    region = django_filters.CharFilter(field_name="region__code", label=_("Region code"))

    class Meta(ProjectFilter.Meta):
        fields = ["q", "status", "service_item", "region"]
