"""The price index's filters: the pages' region choice and the owner form's hint request."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.models import Region
from marketplace.forms import StyledFormMixin
from providers.forms import ServiceItemChoiceField


class RegionChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("empty_label", _("All regions"))
        super().__init__(queryset=Region.objects.order_by("code"), to_field_name="code",
                         required=False, **kwargs)
        self.error_messages["invalid_choice"] = _("No region has this code.")


class PriceIndexFilter(StyledFormMixin, forms.Form):
    """`?region=` on the index pages (a province-level code covers its divisions)."""

    region = RegionChoiceField(label=_("Region"))

    def region_or_none(self) -> Region | None:
        return self.cleaned_data.get("region") if self.is_valid() else None


class PriceQueryForm(StyledFormMixin, forms.Form):
    """`?service_item=&region=` of the API: the item is required, the region optional."""

    service_item = ServiceItemChoiceField(error_messages={
        "required": _("Give the service item's code (service_item)."),
        "invalid_choice": _("No active service item has this code.")})
    region = RegionChoiceField()


class CapHintForm(PriceQueryForm):
    """What the owner's project form sends for the hint; anything unreadable is left out
    (the hint is advice, the project form itself reports bad input)."""

    budget_cap = forms.DecimalField(required=False, min_value=Decimal("0.01"), max_digits=14,
                                    decimal_places=2)
