"""The agency directory's filters: one FilterSet for the page (`/agencies/`) and the API
(`GET /api/v1/agencies/`), so both accept the same parameters and agree on the results."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from marketplace import search
from marketplace.accounts.models import Organization
from marketplace.catalog.models import Region, ServiceItem
from marketplace.forms import StyledFormMixin
from providers.models import AgencyService

GRADES = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]
ORDERINGS = [
    ("relevance", _("Relevance")),
    ("score", _("Credit score")),
    ("name", _("Name")),
]


class VerifiedWidget(BooleanWidget):
    """true/false/1/0 like the API expects, with labels that read well on the page."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("Any")), ("true", _("Verified qualifications")),
                        ("false", _("No verified qualification"))]


class AgencyFilterForm(StyledFormMixin, forms.Form):
    # Choices from the catalog or the code alone: their HTML is kept (catalog_forms).
    kept_fields = ("service_item", "region", "grade", "verified", "ordering")


class AgencyFilter(django_filters.FilterSet):
    """Expects `providers.selectors.directory_queryset()` (it annotates `verified`)."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_nothing")
    service_item = django_filters.ModelChoiceFilter(
        label=_("Service item"), queryset=ServiceItem.objects.filter(is_active=True),
        to_field_name="code", method="filter_service_item", empty_label=_("All service items"),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=Region.objects.all(), to_field_name="code",
        field_name="region", empty_label=_("All regions"),
    )
    grade = django_filters.ChoiceFilter(
        label=_("Credit grade"), choices=GRADES, field_name="credit_grade",
        empty_label=_("Any grade"),
    )
    verified = django_filters.BooleanFilter(
        label=_("Qualifications"), method="filter_verified", widget=VerifiedWidget,
        help_text=_("At least one verified, unexpired qualification"),
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=ORDERINGS, method="filter_nothing", empty_label=None,
        help_text=_("Relevance applies when searching; otherwise by name"),
    )

    class Meta:
        model = Organization
        fields: list[str] = []
        form = AgencyFilterForm

    def filter_nothing(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # `q` and `ordering` act together, last, in filter_queryset.
        return queryset

    def filter_service_item(self, queryset: QuerySet, name: str, value: ServiceItem) -> QuerySet:
        # EXISTS, not a join: a join would repeat agencies and break the page counts.
        return queryset.filter(
            Exists(AgencyService.objects.filter(agency=OuterRef("pk"), service_item=value))
        )

    def filter_verified(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(verified=value)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        q = (self.form.cleaned_data.get("q") or "").strip()
        ordering = self.form.cleaned_data.get("ordering") or ""
        if q:
            queryset = search.ranked(queryset, search.search_ids("agency", q))
            if ordering in ("", "relevance"):
                return queryset
        if ordering == "score":
            return queryset.order_by("-credit_score", "name", "pk")
        return queryset.order_by("name", "pk")
