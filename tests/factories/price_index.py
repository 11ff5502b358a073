"""Projects won at a given price, for the price index (issue 15 §3): made through the services
(publish, bid, open, award, finalize), so only what the real flow produces is counted."""

import datetime as dt
from decimal import Decimal

from bidding import services
from bidding.models import Award, Project
from marketplace.catalog.models import ServiceItem
from tests.factories.accounts import region
from tests.factories.bidding import (
    T0,
    agency_offering,
    bid,
    open_bids,
    published_project,
    service_item,
    user_of,
)


def project_in_publicity(winning: str, *, cap: str = "100000.00", others: tuple = (),
                         region_code: str = "500103", item: ServiceItem | None = None,
                         start: dt.datetime = T0) -> Project:
    """A lowest-price project published at `start`, won at `winning` against `others`, its
    award proposed (under publicity, not final)."""
    item = item or service_item()
    project = published_project(now=start, service_item=item, region=region(region_code),
                                budget_cap=Decimal(cap), min_bidders=1)
    for price in (winning, *others):
        bid(project, agency_offering(item), price)
    project = open_bids(project)
    return services.project_award(project=project, by=user_of(project.owner),
                                  now=project.bid_deadline + dt.timedelta(hours=1))


def won_project(winning: str, **kwargs) -> Project:
    """As `project_in_publicity`, the award then final at the end of its publicity."""
    project = project_in_publicity(winning, **kwargs)
    award = Award.objects.get(project=project, cancelled_at__isnull=True)
    return services.project_finalize(project=project, now=award.publicity_ends_at)


def final_at(project: Project) -> dt.datetime:
    return Award.objects.get(project=project, cancelled_at__isnull=True).finalized_at
