"""The price index (issue 15 §3): what similar projects were won for, per service item and
region, month by month, and the owner form's budget-cap hint built from it.

What counts (docs/decisions.md "Price index"): a project whose bids were opened and whose
award is final and still standing (`selectors_market.final_awards`: a proposed award can still
fall to an objection, an award passed on to the next bidder is cancelled). Its winning price is
the price of the bid that standing award is for, so a re-awarded project counts once, at the
price of the bid that took over, in the month that award became final. Nothing here reads a
sealed bid: a project still open for bids has no award.

Figures: the median and the quartiles of the winning prices and of the discount rates
((budget cap − winning price) / budget cap, in percent), the number of projects and the mean
number of bids that were in at opening. Quartiles interpolate linearly between the ordered
values (the "inclusive" method: PostgreSQL's `percentile_cont`, Python's
`statistics.quantiles(method="inclusive")`, spreadsheets' QUARTILE.INC), computed in Python
over one ordered values query per item (and region): the same answer on both databases.

Regions are GB/T 2260 codes: a code ending in 0000 (a province-level division, here 重庆市)
covers every division whose code starts with its first two digits, one ending in 00 (a
prefecture-level city) its first four; any other code is one county or district.

Figures are cached per (item, region, month) for MARKETPLACE_PRICE_INDEX_CACHE_SECONDS; an
award becoming final or being passed on starts a new cache generation (`clear_cache`,
connected in `BiddingConfig.ready()`).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from bidding.models import Bid
from bidding.selectors import OPENED_STATUSES
from bidding.selectors_market import final_awards, month_starts
from bidding.signals import ProjectEvent
from marketplace.catalog.models import Region, ServiceItem
from marketplace.generations import CacheGeneration

SUMMARY_MONTHS = 12  # the overview, the hint and the page's headline figures
SERIES_MONTHS = 24  # the page's monthly series and table
CENTS = Decimal("0.01")
ONE_PLACE = Decimal("0.1")
PRICE_INDEX = CacheGeneration("price-index", "MARKETPLACE_PRICE_INDEX_CACHE_SECONDS")


@dataclass(frozen=True)
class Spread:
    """The median and the lower and upper quartiles of one figure."""

    median: Decimal
    q1: Decimal
    q3: Decimal

    def as_dict(self) -> dict:
        return {"median": str(self.median), "q1": str(self.q1), "q3": str(self.q3)}


@dataclass(frozen=True)
class Figures:
    """One set of projects: how many, their winning prices (yuan), their discount rates
    (percent off the budget cap) and their bids per project; None when the set is empty."""

    projects: int = 0
    price: Spread | None = None
    discount: Spread | None = None
    bids_per_project: Decimal | None = None

    @property
    def enough(self) -> bool:
        return self.projects >= min_projects()

    def as_dict(self) -> dict:
        return {"projects": self.projects,
                "price": self.price.as_dict() if self.price else None,
                "discount_rate": self.discount.as_dict() if self.discount else None,
                "bids_per_project": (str(self.bids_per_project)
                                     if self.bids_per_project is not None else None)}


@dataclass(frozen=True)
class Month:
    label: str  # "2026-03"
    figures: Figures


@dataclass(frozen=True)
class ItemIndex:
    """The index of one service item, in one region (None: everywhere)."""

    item: ServiceItem
    region: Region | None
    summary: Figures  # the last SUMMARY_MONTHS months, the current one included
    months: list[Month] = field(default_factory=list)  # SERIES_MONTHS, oldest first


@dataclass(frozen=True)
class OverviewRow:
    item: ServiceItem
    figures: Figures


def min_projects() -> int:
    return settings.MARKETPLACE_PRICE_INDEX_MIN_PROJECTS


# --- Statistics -----------------------------------------------------------------------------

def quantile(ordered: list[Decimal], p: Decimal) -> Decimal:
    """The p-quantile of ordered values, interpolating linearly (inclusive method)."""
    position = p * (len(ordered) - 1)
    low = int(position)
    if low + 1 >= len(ordered):
        return ordered[-1]
    return ordered[low] + (ordered[low + 1] - ordered[low]) * (position - low)


def spread(values: list[Decimal], places: Decimal) -> Spread | None:
    if not values:
        return None
    ordered = sorted(values)
    return Spread(*(quantile(ordered, Decimal(p)).quantize(places, rounding=ROUND_HALF_UP)
                    for p in ("0.5", "0.25", "0.75")))


def discount_rate(cap: Decimal, price: Decimal) -> Decimal:
    """(budget cap − winning price) / budget cap, in percent (unrounded)."""
    return (cap - price) * 100 / cap


def figures_of(rows: list[tuple[Decimal, Decimal, int]]) -> Figures:
    """Figures of (winning price, budget cap, bids at opening) rows."""
    if not rows:
        return Figures()
    prices = [Decimal(price) for price, _cap, _bids in rows]
    rates = [discount_rate(Decimal(cap), Decimal(price)) for price, cap, _bids in rows]
    bids = Decimal(sum(n for _p, _c, n in rows)) / len(rows)
    return Figures(projects=len(rows), price=spread(prices, CENTS),
                   discount=spread(rates, ONE_PLACE),
                   bids_per_project=bids.quantize(ONE_PLACE, rounding=ROUND_HALF_UP))


# --- Regions --------------------------------------------------------------------------------

def region_prefix(region: Region) -> str:
    """The code prefix every division inside `region` shares (GB/T 2260)."""
    code = region.code
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


def wider_region(region: Region) -> Region | None:
    """The province-level division `region` belongs to, when it is not one itself."""
    if region_prefix(region) == region.code[:2]:
        return None
    return Region.objects.filter(code=f"{region.code[:2]}0000").first()


def region_filter(region: Region | None, prefix: str = "project__region__") -> Q:
    if region is None:
        return Q()
    wanted = region_prefix(region)
    if wanted == region.code:
        return Q(**{f"{prefix}code": wanted})
    return Q(**{f"{prefix}code__startswith": wanted})


# --- Queries (one per figure set) -----------------------------------------------------------

def _winning_awards(since: dt.datetime, region: Region | None):
    return final_awards().filter(region_filter(region), finalized_at__gte=since)


def _bids_at_opening():
    counted = (Bid.objects.filter(project=OuterRef("project_id"), status__in=OPENED_STATUSES)
               .order_by().values("project").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted), 0)


def _compute_item(item: ServiceItem, region: Region | None, now: dt.datetime) -> ItemIndex:
    starts = month_starts(now, SERIES_MONTHS)
    labels = [start.strftime("%Y-%m") for start in starts]
    summary_from = labels[-SUMMARY_MONTHS]
    by_month: dict[str, list] = defaultdict(list)
    rows = (_winning_awards(starts[0], region).filter(project__service_item=item)
            .annotate(bids_in=_bids_at_opening())
            .values_list("finalized_at", "bid__price", "project__budget_cap", "bids_in")
            .order_by("finalized_at", "pk"))
    for finalized_at, price, cap, bids in rows:
        by_month[timezone.localtime(finalized_at).strftime("%Y-%m")].append((price, cap, bids))
    recent = [row for label in labels if label >= summary_from for row in by_month[label]]
    return ItemIndex(item=item, region=region, summary=figures_of(recent),
                     months=[Month(label, figures_of(by_month[label])) for label in labels])


def _compute_overview(region: Region | None, now: dt.datetime) -> dict[int, Figures]:
    since = month_starts(now, SUMMARY_MONTHS)[0]
    by_item: dict[int, list] = defaultdict(list)
    rows = (_winning_awards(since, region).annotate(bids_in=_bids_at_opening())
            .values_list("project__service_item_id", "bid__price", "project__budget_cap",
                         "bids_in")
            .order_by("project__service_item_id"))
    for item_id, price, cap, bids in rows:
        by_item[item_id].append((price, cap, bids))
    return {item_id: figures_of(found) for item_id, found in by_item.items()}


# --- Cached reads ---------------------------------------------------------------------------

def _cached(key: str, compute):
    return PRICE_INDEX.cached(key, compute)


def _month_key(now: dt.datetime) -> str:
    return timezone.localtime(now).strftime("%Y-%m")


def item_index(item: ServiceItem, region: Region | None = None, *,
               now: dt.datetime | None = None) -> ItemIndex:
    now = timezone.localtime(now or timezone.now())
    key = f"item:{item.pk}:{region.code if region else '*'}:{_month_key(now)}"
    return _cached(key, lambda: _compute_item(item, region, now))


def overview(region: Region | None = None, *, now: dt.datetime | None = None
             ) -> list[OverviewRow]:
    """Every active item (catalogue order) with its figures over the last 12 months."""
    now = timezone.localtime(now or timezone.now())
    key = f"overview:{region.code if region else '*'}:{_month_key(now)}"
    figures = _cached(key, lambda: _compute_overview(region, now))
    return [OverviewRow(item, figures.get(item.pk, Figures()))
            for item in ServiceItem.objects.filter(is_active=True).order_by("category", "code")]


def clear_cache(**_kwargs) -> None:
    """Start a new generation: every cached figure is computed afresh."""
    PRICE_INDEX.renew()


def clear_on_award_change(sender, event=None, **_kwargs) -> None:
    """`project_event` receiver: an award became final or was passed on. Cleared now (this
    process stops answering from the old figures) and again after commit (a read between the
    two would otherwise have cached the figures from before the change)."""
    if event in (ProjectEvent.FINALIZED, ProjectEvent.AWARD_WITHDRAWN):
        PRICE_INDEX.renew_now_and_after_commit()


# --- The owner form's hint ------------------------------------------------------------------

@dataclass(frozen=True)
class CapHint:
    """What similar projects were won for, and where the owner's cap stands against it.

    `region` is the scope the figures cover (the chosen region, or its province when the
    region alone has too few projects; None: the whole market). `position` is "low" (below
    the lower quartile of winning prices: bids may come in above the cap and the round fail),
    "high" (above the upper quartile: more public money than similar work costs), "within",
    or None (no cap given, or not enough data)."""

    item: ServiceItem
    region: Region | None
    figures: Figures
    widened: bool = False
    cap: Decimal | None = None
    position: str | None = None

    @property
    def enough(self) -> bool:
        return self.figures.enough

    @property
    def min_projects(self) -> int:
        return min_projects()


def cap_position(cap: Decimal | None, figures: Figures) -> str | None:
    if cap is None or not figures.enough or figures.price is None:
        return None
    if cap < figures.price.q1:
        return "low"
    if cap > figures.price.q3:
        return "high"
    return "within"


def cap_hint(item: ServiceItem, region: Region | None = None, cap: Decimal | None = None, *,
             now: dt.datetime | None = None) -> CapHint:
    """The hint for a project of `item` in `region` with budget cap `cap` (last 12 months);
    with too few projects in the region, its province's."""
    figures = item_index(item, region, now=now).summary
    scope, widened = region, False
    if region is not None and not figures.enough:
        wider = wider_region(region)
        if wider is not None:
            wider_figures = item_index(item, wider, now=now).summary
            if wider_figures.projects > figures.projects:
                scope, figures, widened = wider, wider_figures, True
    return CapHint(item=item, region=scope, figures=figures, widened=widened, cap=cap,
                   position=cap_position(cap, figures))
