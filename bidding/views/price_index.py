"""The public price index (issue 15 §3): the overview of all items, one page per item with its
monthly series, and the owner form's budget-cap hint (an htmx fragment). Reads only."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bidding.forms.price_index import CapHintForm, PriceIndexFilter
from bidding.selectors_price_index import (
    SERIES_MONTHS,
    SUMMARY_MONTHS,
    CapHint,
    cap_hint,
    item_index,
    min_projects,
    overview,
)
from marketplace.catalog.models import ServiceItem


def _number(value):
    return float(value) if value is not None else None


def chart_data(index) -> dict:
    """The page's series for Chart.js (numbers only; the labels are in the template)."""
    months = index.months

    def series(figure: str, part: str) -> list:
        return [_number(getattr(getattr(m.figures, figure), part))
                if getattr(m.figures, figure) else None for m in months]

    return {
        "labels": [m.label for m in months],
        "price": {part: series("price", part) for part in ("median", "q1", "q3")},
        "discount": {part: series("discount", part) for part in ("median", "q1", "q3")},
        "projects": [m.figures.projects for m in months],
        "bids": [_number(m.figures.bids_per_project) for m in months],
    }


@require_GET
def price_index_overview(request):
    filter_form = PriceIndexFilter(request.GET or None)
    region = filter_form.region_or_none()
    return render(request, "bidding/price_index/overview.html", {
        "filter_form": filter_form, "region": region, "rows": overview(region),
        "months": SUMMARY_MONTHS, "min_projects": min_projects(),
    })


@require_GET
def price_index_item(request, code: str):
    item = ServiceItem.objects.filter(code=code).first()
    if item is None:
        raise Http404
    filter_form = PriceIndexFilter(request.GET or None)
    region = filter_form.region_or_none()
    index = item_index(item, region)
    return render(request, "bidding/price_index/item.html", {
        "item": item, "filter_form": filter_form, "region": region, "index": index,
        "rows": list(reversed(index.months)), "chart": chart_data(index),
        "months": SUMMARY_MONTHS, "series_months": SERIES_MONTHS,
        "min_projects": min_projects(),
    })


def hint_for(data) -> CapHint | None:
    """The hint for what the project form holds (posted, or a draft's initial terms); None
    until a service item is chosen. Unreadable region or cap: left out, never an error."""
    form = CapHintForm(data)
    form.is_valid()
    item = form.cleaned_data.get("service_item")
    if item is None:
        return None
    return cap_hint(item, form.cleaned_data.get("region"), form.cleaned_data.get("budget_cap"))


@require_GET
def price_hint(request):
    """The fragment the owner's form fetches with htmx when item, region or cap change."""
    return render(request, "bidding/price_index/_hint.html", {
        "hint": hint_for(request.GET)})
