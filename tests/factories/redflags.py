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
                   published_at: dt.datetime = T0, min_bidders: int = 1,
                   **kwargs) -> Project:
    """An opened project with `offers` [(agency, price, valid)] and, unless `winner` is None,
    a standing award to the offer at that index."""
    deadline = published_at + dt.timedelta(days=days)
    project = ProjectFactory(owner=owner or OwnerFactory(), selection_method=method,
                             status=Project.Status.AWARDED if winner is not None
                             else Project.Status.EVALUATING,
                             published_at=published_at, bid_deadline=deadline,
                             opened_at=deadline, min_bidders=min_bidders, **kwargs)
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


# --- Markets for the collusion and favouritism patterns (ratings/redflags/patterns.py) ---------


def rotation_market(*, turns: bool = True) -> tuple[Organization, Organization]:
    """Two agencies bidding together on four awarded projects (with a third bidder) and, with
    `turns`, winning them in turn (CN02); without, the first wins them all."""
    a, b, c = agencies(3)
    for n in range(4):
        first, second = (a, b) if n % 2 == 0 or not turns else (b, a)
        opened_project([(first, 90000, True), (second, 96000, True), (c, 99000, True)],
                       min_bidders=2)
    return a, b


def cover_market(*, gap: str = "0.02", losses: int = 3) -> tuple[Organization, Organization]:
    """An agency coming second `gap` above the same winner on three projects, and losing to it
    on `losses` − 3 more with a bid far above (CN03)."""
    cover, winner, other = agencies(3)
    for n in range(losses):
        close = n < 3
        second = Decimal("100000") * (1 + Decimal(gap)) if close else Decimal("130000")
        opened_project([(winner, 100000, True), (cover, second, True),
                        (other, 115000 if close else 120000, True)], min_bidders=2)
    return cover, winner


def favouritism_market(*, favourite_wins: int = 4) -> tuple[Organization, Organization]:
    """Four owners with four awarded projects each, their wins spread over the market, and one
    owner awarding `favourite_wins` of its five projects to the same agency (CN04)."""
    firms = agencies(6)
    spread = ([0, 0, 1, 2], [1, 1, 2, 3], [2, 3, 4, 0], [3, 4, 0, 1])
    for winners in spread:
        owner = OwnerFactory()
        for n, w in enumerate(winners):
            loser = firms[(w + 1 + n) % 5]
            opened_project([(firms[w], 90000, True), (loser, 99000, True)], owner=owner,
                           min_bidders=2)
    owner, favourite = OwnerFactory(), firms[5]
    for n in range(5):
        winner = favourite if n < favourite_wins else firms[n % 5]
        opened_project([(winner, 90000, True), (firms[(n + 1) % 5], 99000, True)],
                       owner=owner, min_bidders=2)
    return owner, favourite


def non_competitive_market(*, direct: int = 3, monopoly_item=None) -> Organization:
    """Four owners with four competitive awarded projects each (at least two valid bids
    required), and one with `direct` of its four awarded by direct selection (on
    `monopoly_item` if given) (CN05)."""
    firms = agencies(3)
    for _n in range(4):
        owner = OwnerFactory()
        for _m in range(4):
            opened_project([(firms[0], 90000, True), (firms[1], 95000, True)], owner=owner,
                           min_bidders=2)
    owner = OwnerFactory()
    item = {"service_item": monopoly_item} if monopoly_item is not None else {}
    for n in range(4):
        if n < direct:
            opened_project([(firms[2], 90000, True)], owner=owner,
                           method=Project.Method.DIRECT, **item)
        else:
            opened_project([(firms[0], 90000, True), (firms[1], 95000, True)], owner=owner,
                           min_bidders=2)
    return owner
