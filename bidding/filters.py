"""The public project list's filters: the API's FilterSet (same parameters and lookups), with
what a person chooses from on the page: translated labels, service items and regions as lists,
no owner-id box (drafts are never public, so they are no status choice either)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from bidding.api.filters import ProjectFilter
from bidding.models import Project
from marketplace.catalog.categories import service_item_choices
from marketplace.catalog.models import Region
from marketplace.forms import StyledFormMixin

PUBLIC_STATUSES = [(value, label) for value, label in Project.Status.choices
                   if value != Project.Status.DRAFT]


class ProjectPageFilterForm(StyledFormMixin, forms.Form):
    # Choices from the catalog or the code alone: their HTML is kept (catalog_forms).
    kept_fields = ("status", "service_item", "region")


class ProjectPageFilter(ProjectFilter):
    q = django_filters.CharFilter(method="filter_q", label=_("Keywords"))
    status = django_filters.ChoiceFilter(choices=PUBLIC_STATUSES, label=_("Status"),
                                         empty_label=_("Any status"))
    # The same lookups as the API's code filters, chosen from lists (grouped by category).
    service_item = django_filters.ChoiceFilter(
        field_name="service_item__code", label=_("Service item"),
        choices=service_item_choices, empty_label=_("All service items"))
    region = django_filters.ModelChoiceFilter(
        field_name="region", to_field_name="code", queryset=Region.objects.all(),
        label=_("Region"), empty_label=_("All regions"))
    budget_min = django_filters.NumberFilter(
        field_name="budget_cap", lookup_expr="gte", label=_("Budget cap at least (yuan)"),
        widget=forms.NumberInput(attrs={"min": "0", "step": "1000", "inputmode": "decimal"}))
    budget_max = django_filters.NumberFilter(
        field_name="budget_cap", lookup_expr="lte", label=_("Budget cap at most (yuan)"),
        widget=forms.NumberInput(attrs={"min": "0", "step": "1000", "inputmode": "decimal"}))
    # An organization id means nothing to a person: not offered on the page (the API keeps it).
    owner = None

    class Meta(ProjectFilter.Meta):
        fields = ["q", "status", "service_item", "region", "budget_min", "budget_max"]
        form = ProjectPageFilterForm
