"""A market at scale for the benchmarks (issue 15 "Benchmarks"), seeded in bulk: owners and
agencies, opened projects with their bids and awards. `seed` fills it; `varied=False` is the
price index's market (every project awarded by lowest price to its lowest bid, every bid valid),
`varied=True` the red flags' (every selection method, short bidding periods, single bids,
disqualified and withdrawn bids, identical, close and far prices, shared IP addresses, browser
fingerprints and contact details), so that every indicator has real work to do.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from bidding.models import Award, Bid, Project
from marketplace.accounts.models import Organization
from marketplace.catalog.models import Region, ServiceItem
from tests.factories.accounts import make_uscc

BIDS_PER_PROJECT = 10
BATCH = 2_000
MONTHS_BACK = 36
Method = Project.Method


@dataclass
class Varied:
    """The shares of the varied market (per project, or per bid where said)."""

    methods: dict = field(default_factory=lambda: {
        Method.LOWEST_PRICE: 50, Method.COMPREHENSIVE: 25, Method.RANDOM: 15, Method.DIRECT: 10})
    short_period: float = 0.05      # bidding period below the R003 threshold
    single_bid: float = 0.06        # competitive projects with one bid only
    disqualified: float = 0.06      # per bid
    withdrawn: float = 0.02         # per bid
    lowest_disqualified: float = 0.04  # lowest-price projects whose lowest bid is disqualified
    identical: float = 0.03         # two agencies quote the same price
    close_second: float = 0.05      # the second price within 0.1 % of the first
    far_second: float = 0.03        # the first price far below the others
    not_lowest_wins: float = 0.3    # comprehensive projects won by another bid than the lowest
    late_win: float = 0.001         # winning bid revised after the deadline
    shared_ip: float = 0.02         # two bidders of a project submit from one IP address
    partners: float = 0.01          # agencies sharing a phone, e-mail or address with another
    partners_bid: float = 0.03      # projects where such a pair both bid
    browsers: int = 40              # distinct browser fingerprints in the market


def organizations(kind: str, count: int, offset: int, name: str = "价格指数基准",
                  contacts: bool = False) -> list[int]:
    rows = [Organization(kind=kind, owner_kind="enterprise" if kind == "owner" else "",
                         name=f"{name}{kind}{i}", uscc=make_uscc(offset + i))
            for i in range(count)]
    if contacts:
        for i, row in enumerate(rows):
            row.phone, row.email = f"023-{60000000 + i}", f"agency{i}@bench.example.cn"
            row.address = f"重庆市渝中区基准路{i}号"
    return [o.pk for o in Organization.objects.bulk_create(rows, batch_size=BATCH)]


def _share_contacts(rng: random.Random, agency_ids: list[int], share: float) -> list[tuple]:
    """Pairs of agencies sharing one contact detail (the second takes the first's)."""
    pairs = []
    for _ in range(max(1, int(len(agency_ids) * share))):
        a, b = rng.sample(agency_ids, 2)
        what = rng.choice(("phone", "email", "address"))
        value = Organization.objects.values_list(what, flat=True).get(pk=a)
        Organization.objects.filter(pk=b).update(**{what: value})
        pairs.append((a, b))
    return pairs


def seed(rng: random.Random, projects: int, agencies: int, now: dt.datetime, *,
         varied: Varied | None = None) -> None:
    owners = organizations("owner", max(10, projects // 50), 2_000_000)
    agency_ids = organizations("agency", agencies, 3_000_000, contacts=varied is not None)
    items = list(ServiceItem.objects.filter(is_active=True).values_list("pk", flat=True))
    regions = list(Region.objects.values_list("pk", flat=True))
    # Each item has its own price level; caps scatter around it, prices below the cap.
    level = {item: Decimal(rng.randrange(20, 400) * 1000) for item in items}
    market = _Varied(rng, varied, agency_ids) if varied else None
    done = 0
    while done < projects:
        size = min(BATCH, projects - done)
        batch, caps = [], []
        for _ in range(size):
            item = rng.choice(items)
            cap = (level[item] * Decimal(rng.uniform(0.7, 1.5))).quantize(Decimal("1"))
            final = now - dt.timedelta(days=rng.uniform(0, MONTHS_BACK * 30.4))
            opened = final - dt.timedelta(days=10)
            project = Project(
                owner_id=rng.choice(owners), title="基准项目", service_item_id=item,
                description="基准", region_id=rng.choice(regions), budget_cap=cap,
                selection_method=Method.LOWEST_PRICE, bid_deadline=opened,
                status=Project.Status.AWARDED, published_at=opened - dt.timedelta(days=7),
                opened_at=opened, created_at=opened - dt.timedelta(days=8))
            if market:
                market.project(project, opened)
            batch.append(project)
            caps.append((cap, final, opened))
        with transaction.atomic():
            created = Project.objects.bulk_create(batch)
            bids, winners = [], []
            for project, (cap, final, opened) in zip(created, caps, strict=True):
                if market:
                    first = len(bids)
                    winner = market.bids(project, cap, opened, bids)
                    if winner is not None:
                        winners.append((first + winner, final, opened))
                    continue
                count = rng.randint(1, 2 * BIDS_PER_PROJECT - 1)
                prices = sorted(cap * Decimal(rng.uniform(0.6, 1.0)) for _ in range(count))
                bidders = rng.sample(agency_ids, count)
                for rank, (price, agency_id) in enumerate(zip(prices, bidders, strict=True), 1):
                    bids.append(Bid(
                        project=project, agency_id=agency_id,
                        price=price.quantize(Decimal("0.01")), promised_days=30,
                        fee_standard="基准", service_standard="基准", receipt=f"{rank:064x}",
                        salt="0" * 64, sealed_at=opened, submitted_at=opened, valid=True,
                        rank=rank))
                winners.append((len(bids) - count, final, opened))
            Bid.objects.bulk_create(bids, batch_size=BATCH)
            Award.objects.bulk_create([
                Award(project_id=bids[first].project.pk, bid_id=bids[first].pk,
                      proposed_at=opened, publicity_ends_at=final, final=True,
                      finalized_at=final)
                for first, final, opened in winners], batch_size=BATCH)
            if market:
                failed = [p.pk for p in created if p.status == Project.Status.FAILED]
                Project.objects.filter(pk__in=failed).update(status=Project.Status.FAILED)
        done += size


class _Varied:
    """The varied market's choices, one project at a time."""

    def __init__(self, rng: random.Random, shares: Varied, agency_ids: list[int]):
        self.rng, self.shares, self.agency_ids = rng, shares, agency_ids
        self.methods, self.weights = list(shares.methods), list(shares.methods.values())
        self.pairs = _share_contacts(rng, agency_ids, shares.partners)
        # Each agency bids from its own office address (an IP of its own) and a common browser.
        self.browsers = [f"{n:064x}" for n in range(1, shares.browsers + 1)]

    @staticmethod
    def ip(agency_id: int) -> str:
        return f"10.{agency_id >> 16 & 255}.{agency_id >> 8 & 255}.{agency_id & 255}"

    def project(self, project: Project, opened: dt.datetime) -> None:
        rng = self.rng
        project.selection_method = rng.choices(self.methods, self.weights)[0]
        days = rng.uniform(3, 14) if rng.random() < self.shares.short_period else rng.uniform(
            15, 30)
        project.published_at = opened - dt.timedelta(days=days)
        project.created_at = project.published_at - dt.timedelta(days=1)

    def bids(self, project: Project, cap: Decimal, opened: dt.datetime,
             bids: list[Bid]) -> int | None:
        """Appends the project's bids; returns the winner's position among them, if any."""
        rng, shares = self.rng, self.shares
        method = project.selection_method
        if method == Method.DIRECT or rng.random() < shares.single_bid:
            count = 1
        else:
            # 2 to 22 bids: about 10 a project over the market, direct and single bids included.
            count = rng.randint(2, 2 * BIDS_PER_PROJECT + 2)
        # In a competitive market each price is mostly a few percent above the next lower one
        # (so that R024's lower fence is positive); some projects are not.
        prices = [cap * Decimal(rng.uniform(0.5, 0.7))]
        for _ in range(count - 1):
            prices.append(prices[-1] * Decimal(rng.uniform(1.03, 1.05)))
        bidders = rng.sample(self.agency_ids, count)
        if count >= 2:
            roll = rng.random()
            if roll < shares.identical:
                prices[1] = prices[0]
            elif roll < shares.identical + shares.close_second:
                prices[1] = prices[0] * Decimal("1.0005")
            elif roll < shares.identical + shares.close_second + shares.far_second:
                prices[0] = prices[0] * Decimal(rng.uniform(0.3, 0.5))
            if rng.random() < shares.partners_bid:
                pair = rng.choice(self.pairs)
                if pair[0] not in bidders[2:] and pair[1] not in bidders[2:]:
                    bidders[0], bidders[1] = pair
        valid = [rng.random() >= shares.disqualified for _ in range(count)]
        withdrawn = [count > 1 and rng.random() < shares.withdrawn for _ in range(count)]
        if (method == Method.LOWEST_PRICE and count >= 2
                and rng.random() < shares.lowest_disqualified):
            valid[0], withdrawn[0] = False, False
        ips = [self.ip(a) for a in bidders]
        if count >= 2 and rng.random() < shares.shared_ip:
            ips[1] = ips[0]
        first, rank = len(bids), 0
        for i, (price, agency_id) in enumerate(zip(prices, bidders, strict=True)):
            out = withdrawn[i]
            rank += not out and valid[i]
            bids.append(Bid(
                project=project, agency_id=agency_id,
                price=None if out else price.quantize(Decimal("0.01")), promised_days=30,
                fee_standard="基准", service_standard="基准", receipt=f"{i + 1:064x}",
                salt="0" * 64, sealed_at=opened, submitted_at=opened - dt.timedelta(hours=1),
                status=Bid.Status.WITHDRAWN if out else (
                    Bid.Status.SUBMITTED if valid[i] else Bid.Status.DISQUALIFIED),
                withdrawn_at=opened - dt.timedelta(hours=2) if out else None,
                valid=None if out else valid[i], rank=rank if valid[i] and not out else None,
                client_ip=ips[i], client_agent_hash=rng.choice(self.browsers)))
        candidates = [i for i in range(count) if valid[i] and not withdrawn[i]]
        if not candidates:
            project.status = Project.Status.FAILED
            return None
        winner = candidates[0]
        if method == Method.RANDOM or (method == Method.COMPREHENSIVE
                                       and rng.random() < shares.not_lowest_wins):
            winner = rng.choice(candidates)
        if rng.random() < shares.late_win:
            bids[first + winner].revised_at = opened + dt.timedelta(hours=1)
        return winner
