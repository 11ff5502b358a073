"""Market figures for the public overview (/credit/) and the regulator dashboard: projects and
awards per month, competition (bids per project) and savings against budget caps.

Every figure is an aggregate over projects whose bids have been opened, so nothing here can
reveal a sealed bid (DESIGN §4 "Bids are sealed"): counting or averaging the bids of a project
still open for bids would tell the market how a round is going before its deadline.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from bidding.models import Award, Project
from bidding.selectors import OPENED_STATUSES
from marketplace.accounts.models import Organization
from marketplace.generations import CacheGeneration

Status = Project.Status
# Every state a project reaches only through opening (`failed` included: a round fails at
# opening, when too few valid bids came in).
OPENED_PROJECT_STATUSES = (Status.EVALUATING, Status.PUBLICITY, Status.AWARDED, Status.FAILED)
ONE_PLACE = Decimal("0.1")
CENTS = Decimal("0.01")


# The public pages' market figures aggregate every bid and award of the market (seconds at
# 1,000,000 bids, issue 14 §1): kept MARKETPLACE_MARKET_FIGURES_CACHE_SECONDS; any project event
# starts a new generation, so an award, an opening or a publication shows at once; time alone (a
# deadline passing) shows within the cache's lifetime.
MARKET_FIGURES = CacheGeneration("market-figures", "MARKETPLACE_MARKET_FIGURES_CACHE_SECONDS")


def cached_market_figures(key: str, compute: Callable):
    return MARKET_FIGURES.cached(key, compute)


def market_changed(**_kwargs) -> None:
    """`project_event` receiver: the next read computes the figures afresh."""
    MARKET_FIGURES.renew_now_and_after_commit()


def month_starts(now: dt.datetime, months: int) -> list[dt.datetime]:
    """The first instant of each of the last `months` calendar months, the current one last."""
    starts = []
    for back in range(months - 1, -1, -1):
        years, month0 = divmod(now.month - 1 - back, 12)
        starts.append(now.replace(year=now.year + years, month=month0 + 1, day=1, hour=0,
                                  minute=0, second=0, microsecond=0))
    return starts


def market_series(*, months: int = 6, now: dt.datetime | None = None) -> dict:
    """Projects published and final awards (count and amount) per month, oldest first, the
    current month included. Amounts are floats: the result goes to JSON for the charts."""
    now = timezone.localtime(now or timezone.now())
    starts = month_starts(now, months)
    start = starts[0]
    labels = [month.strftime("%Y-%m") for month in starts]
    # TruncMonth works in the current time zone, as `now` does: both agree on month edges.
    published = {row["month"].strftime("%Y-%m"): row["n"] for row in
                 Project.objects.filter(published_at__gte=start)
                 .annotate(month=TruncMonth("published_at")).values("month")
                 .annotate(n=Count("pk")).order_by()}
    awarded = {row["month"].strftime("%Y-%m"): row for row in
               final_awards().filter(finalized_at__gte=start)
               .annotate(month=TruncMonth("finalized_at")).values("month")
               .annotate(n=Count("pk"), amount=Sum("bid__price")).order_by()}
    return {
        "labels": labels,
        "published": [published.get(label, 0) for label in labels],
        "awards": [awarded.get(label, {}).get("n", 0) for label in labels],
        "amount": [float(awarded.get(label, {}).get("amount") or 0) for label in labels],
    }


def opened_projects(since: dt.datetime | None = None) -> QuerySet[Project]:
    projects = Project.objects.filter(opened_at__isnull=False,
                                      status__in=OPENED_PROJECT_STATUSES)
    if since is not None:
        projects = projects.filter(opened_at__gte=since)
    return projects


def final_awards() -> QuerySet[Award]:
    """Final awards still standing (an award passed on to the next bidder is cancelled and no
    longer counts), on opened projects only."""
    return Award.objects.filter(final=True, cancelled_at__isnull=True,
                                project__opened_at__isnull=False)


@dataclass(frozen=True)
class RecentAward:
    """One line of an agency's public profile (providers' `recent_awards` hook)."""

    title: str
    url: str
    owner: str
    owner_url: str
    price: Decimal
    awarded_at: dt.datetime


def agency_recent_awards(agency: Organization, limit: int) -> list[RecentAward]:
    """The agency's final awards still standing, newest first: public facts (the award was
    announced). Plugged into the profile by `BiddingConfig.ready()`."""
    awards = (final_awards().filter(bid__agency=agency)
              .select_related("project__owner", "bid")
              .order_by("-finalized_at", "-id")[:limit])
    return [RecentAward(
        title=award.project.title, url=award.project.get_absolute_url(),
        owner=award.project.owner.name,
        owner_url=reverse("providers:owner_detail", args=[award.project.owner_id]),
        price=award.bid.price, awarded_at=award.finalized_at) for award in awards]


def average_bids_per_project(since: dt.datetime | None = None) -> Decimal | None:
    """Mean number of bids that were in at opening (withdrawn ones are not) over the projects
    opened since `since`; None when no project has been opened."""
    row = opened_projects(since).aggregate(
        projects=Count("pk", distinct=True),
        bids=Count("bids", filter=Q(bids__status__in=OPENED_STATUSES), distinct=True),
    )
    if not row["projects"]:
        return None
    return (Decimal(row["bids"]) / row["projects"]).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def savings_against_budget_caps() -> dict:
    """Over the final awards of projects with a budget cap: the caps, the awarded prices, the
    saving (caps - prices) and its rate (percent of the caps, one place; None when nothing
    qualifies). `awards` is how many awards the sums cover."""
    row = (final_awards().filter(project__budget_cap__isnull=False)
           .aggregate(awards=Count("pk"), caps=Sum("project__budget_cap"),
                      prices=Sum("bid__price")))
    # SQLite sums decimals without their scale; quantize so both databases print alike.
    caps = (row["caps"] or Decimal(0)).quantize(CENTS)
    prices = (row["prices"] or Decimal(0)).quantize(CENTS)
    saving = caps - prices
    rate = ((saving * 100 / caps).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
            if caps else None)
    return {"awards": row["awards"], "caps": caps, "prices": prices, "saving": saving,
            "rate": rate}
