"""Small opened markets for the red-flag indicators: projects, bids and awards written straight
to the database as they stand after opening (prices in their columns, `valid` set), so each
test builds exactly the market its indicator needs. `tests/ratings/test_redflags_sealed.py`
goes through the real sealing and opening instead."""

import datetime as dt
import itertools
from decimal import Decimal

from bidding.models import Award, Bid, Project
from marketplace.accounts.models import Organization
from tests.factories.accounts import AgencyFactory, OwnerFactory
from tests.factories.bidding import T0, ProjectFactory

PHONES = itertools.count(60000000)


def agencies(n: int) -> list[Organization]:
    """Agencies with their own phone numbers (the factory's default is shared: it would make
    every market fire the shared-identity flag)."""
    return [AgencyFactory(phone=f"023-{next(PHONES)}") for _ in range(n)]


def opened_project(offers, *, owner: Organization | None = None, winner: int | None = 0,
                   method: str = Project.Method.LOWEST_PRICE, days: int = 20,
                   published_at: dt.datetime = T0, **kwargs) -> Project:
    """An opened project with `offers` [(agency, price, valid)] and, unless `winner` is None,
    a standing award to the offer at that index."""
    deadline = published_at + dt.timedelta(days=days)
    project = ProjectFactory(owner=owner or OwnerFactory(), selection_method=method,
                             status=Project.Status.AWARDED if winner is not None
                             else Project.Status.EVALUATING,
                             published_at=published_at, bid_deadline=deadline,
                             opened_at=deadline, min_bidders=1, **kwargs)
    bids = []
    for n, (agency, price, valid) in enumerate(offers):
        submitted = published_at + dt.timedelta(hours=1 + n)
        bids.append(Bid.objects.create(
            project=project, agency=agency, price=Decimal(str(price)) if price else None,
            promised_days=20, fee_standard="按标准", service_standard="按规范",
            receipt=f"{project.pk:032d}{n:032d}", salt="00" * 16, sealed_at=submitted,
            submitted_at=submitted, valid=valid,
            status=Bid.Status.SUBMITTED if valid else Bid.Status.DISQUALIFIED,
            invalid_reason="" if valid else "资质不符"))
    if winner is not None:
        Award.objects.create(project=project, bid=bids[winner], proposed_at=deadline,
                             publicity_ends_at=deadline + dt.timedelta(days=5))
    return project


def normal_market(n: int = 8) -> list[Project]:
    """`n` ordinary lowest-price projects: three valid bids each, the second-lowest 10%,
    10.2%, … above the winner (a tight spread: fences with a positive Q1)."""
    firms = agencies(n + 2)
    projects = []
    for i in range(n):
        gap = Decimal("0.10") + Decimal(i) * Decimal("0.002")
        win = Decimal("100000")
        projects.append(opened_project([
            (firms[i], win, True), (firms[i + 1], win * (1 + gap), True),
            (firms[i + 2], win * (1 + gap * 2), True)]))
    return projects
