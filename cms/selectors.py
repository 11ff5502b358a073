"""Reads for the public site: the home page's live blocks, the announcement index and feed."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from bidding import selectors as bidding_selectors
from bidding.models import Award, Project
from bidding.selectors_market import cached_market_figures
from providers import selectors as provider_selectors


def latest_announcements(*, limit: int = 6):
    from cms.models import AnnouncementPage

    return list(AnnouncementPage.objects.live().select_related("service_item", "region")
                .order_by("-published_on", "-pk")[:limit])


def projects_closing_soon(*, limit: int = 6, now: dt.datetime | None = None):
    """Published projects still taking bids, the nearest deadline first."""
    now = now or timezone.now()
    return list(bidding_selectors.projects_for_viewer(None)
                .filter(status=Project.Status.BIDDING, bid_deadline__gt=now)
                .order_by("bid_deadline", "pk")[:limit])


def new_agencies(*, limit: int = 6):
    return list(provider_selectors.listed_agencies().select_related("region")
                .order_by("-created_at", "-pk")[:limit])


@dataclass(frozen=True)
class MarketFigures:
    agencies: int
    open_projects: int
    awards: int
    awarded_amount: Decimal


def market_figures(*, now: dt.datetime | None = None) -> MarketFigures:
    """The home page's figures; cached a few minutes when read for the present
    (`selectors_market.cached_market_figures`: the awards' sum reads every final award)."""
    if now is None:
        return cached_market_figures("home", lambda: _market_figures(timezone.now()))
    return _market_figures(now)


def _market_figures(now: dt.datetime) -> MarketFigures:
    final = Award.objects.filter(final=True)
    return MarketFigures(
        agencies=provider_selectors.listed_agencies().count(),
        open_projects=Project.objects.filter(status=Project.Status.BIDDING,
                                             bid_deadline__gt=now).count(),
        awards=final.count(),
        awarded_amount=final.aggregate(total=Sum("bid__price"))["total"] or Decimal("0"),
    )


def announcements(*, kind: str = "", service_item=None, region=None,
                  date_from: dt.date | None = None, date_to: dt.date | None = None):
    """The live announcements matching the index's filters, newest first."""
    from cms.models import AnnouncementPage

    queryset = (AnnouncementPage.objects.live()
                .select_related("service_item", "region").order_by("-published_on", "-pk"))
    if kind:
        queryset = queryset.filter(kind=kind)
    if service_item is not None:
        queryset = queryset.filter(service_item=service_item)
    if region is not None:
        queryset = queryset.filter(region=region)
    if date_from is not None:
        queryset = queryset.filter(published_on__date__gte=date_from)
    if date_to is not None:
        queryset = queryset.filter(published_on__date__lte=date_to)
    return queryset
