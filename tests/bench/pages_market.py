"""A whole market at scale for the pages benchmark (tests/bench/pages.py): agencies with their
services (the search bench's seeding), owners, projects open for bids and awarded ones with
their bids and final awards (the price-index bench's bulk path), credit events and the
recomputed grades with the blacklist they lead to, announcements published the platform's way,
and both search indexes built. Everything through bulk_create except what the product itself
must write (announcements, blacklist entries): those go through their services.

Sizes at --scale 1: 100,000 projects, 20,000 agencies, about 1,000,000 bids.
"""

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction

from bidding.models import Award, Bid, Project
from marketplace.accounts.models import Organization
from marketplace.catalog.models import Region, ServiceItem
from marketplace.search.backends import get_backend
from ratings.models import CreditEvent
from tests.bench.search import BRAND_CHARS, NEEDS, WORKS, seed_agencies
from tests.factories.accounts import make_uscc

PROJECTS = 100_000
AGENCIES = 20_000
PROJECTS_PER_OWNER = 50
OPEN_SHARE = 0.08  # projects still open for bids (no bids seen: they are sealed)
MAX_BIDS = 19  # 1..19 bids on an awarded project: 10 on average, 1,000,000 at scale 1
CREDIT_EVENTS_PER_AGENCY = 5
BLACKLISTED = 200  # at most, at scale 1, through the grade-D rule
ANNOUNCEMENTS = 600  # at scale 1; published one by one through cms.announcements (slow)
BATCH = 2_000
RATINGS = [5] * 5 + [4] * 4 + [3] * 2 + [2, 1]
PENALTIES = [("refusal_to_sign", "10", "major"), ("late_delivery", "3", "minor"),
             ("commitment_breach", "8", "major"), ("inspection_passed", "-2", "info")]


@dataclass
class Market:
    agency_ids: list[int]
    owner_ids: list[int]
    open_ids: list[int] = field(default_factory=list)
    awarded_ids: list[int] = field(default_factory=list)
    announcement_urls: list[str] = field(default_factory=list)
    blacklisted: int = 0


def seed_market(rng: random.Random, *, scale: float, now: dt.datetime) -> Market:
    projects = max(200, int(PROJECTS * scale))
    agencies = max(100, int(AGENCIES * scale))
    step = time.perf_counter()

    def lap(what: str) -> None:
        nonlocal step
        print(f"  {what}: {time.perf_counter() - step:.1f} s")
        step = time.perf_counter()

    seed_agencies(agencies, rng)  # name, region, address, 1–4 services each
    agency_ids = list(Organization.objects.filter(kind=Organization.Kind.AGENCY)
                      .order_by("pk").values_list("pk", flat=True))
    lap(f"{len(agency_ids):,} agencies with services")
    market = Market(agency_ids=agency_ids, owner_ids=_owners(rng, projects // PROJECTS_PER_OWNER))
    lap(f"{len(market.owner_ids):,} owners")
    _projects(rng, market, projects, now)
    lap(f"{projects:,} projects ({len(market.open_ids):,} open, {len(market.awarded_ids):,} "
        f"awarded) and {Bid.objects.count():,} bids")
    _credit(rng, market, now, scale)
    lap(f"credit events, scores and grade-D blacklist ({market.blacklisted:,} listed)")
    _announcements(rng, market, max(20, int(ANNOUNCEMENTS * scale)))
    lap(f"{len(market.announcement_urls):,} project announcements")
    _home_blocks()
    backend = get_backend()
    for doc_type in ("agency", "project"):
        backend.rebuild(doc_type)
    lap("search indexes (agency, project) rebuilt")
    with connection.cursor() as cursor:
        # The planner's statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite)
        # would have them on a live site: bulk loads leave them stale. On PostgreSQL also the
        # visibility map autovacuum keeps, without which no count is an index-only scan (the
        # project list's COUNT read the whole table: 42 ms instead of 10).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    lap("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return market


def _owners(rng: random.Random, count: int) -> list[int]:
    regions = list(Region.objects.all())
    rows = [Organization(
        kind=Organization.Kind.OWNER, owner_kind=Organization.OwnerKind.ENTERPRISE,
        name=f"重庆{''.join(rng.sample(BRAND_CHARS, 2))}建设集团有限公司{n}",
        uscc=make_uscc(40_000_000 + n), region=rng.choice(regions), contact_name="联系人",
        phone="023-61000000") for n in range(max(10, count))]
    return [o.pk for o in Organization.objects.bulk_create(rows, batch_size=BATCH)]


def _projects(rng: random.Random, market: Market, count: int, now: dt.datetime) -> None:
    items = list(ServiceItem.objects.filter(is_active=True))
    regions = list(Region.objects.all())
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        rows, plans = [], []
        for _ in range(size):
            item, region = rng.choice(items), rng.choice(regions)
            place = region.name.split("（")[0]
            cap = Decimal(rng.randint(5, 500) * 1000)
            is_open = rng.random() < OPEN_SHARE
            if is_open:
                published = now - dt.timedelta(days=rng.uniform(1, 10))
                deadline = now + dt.timedelta(days=rng.uniform(5, 30))
                extra = {"status": Project.Status.BIDDING}
            else:
                deadline = now - dt.timedelta(days=rng.uniform(20, 1000))
                published = deadline - dt.timedelta(days=10)
                extra = {"status": Project.Status.AWARDED, "opened_at": deadline}
            rows.append(Project(
                owner_id=rng.choice(market.owner_ids),
                title=f"{place}{rng.choice(WORKS)}{item.name}服务", service_item=item,
                region=region, description=f"{rng.choice(NEEDS)}{item.name}，{rng.choice(NEEDS)}。",
                budget_cap=cap, selection_method=Project.Method.LOWEST_PRICE,
                bid_deadline=deadline, published_at=published,
                created_at=published - dt.timedelta(days=1), **extra))
            plans.append((is_open, cap, deadline))
        with transaction.atomic():
            created = Project.objects.bulk_create(rows)
            bids, winners = [], []
            for project, (is_open, cap, opened) in zip(created, plans, strict=True):
                if is_open:
                    market.open_ids.append(project.pk)
                    continue
                market.awarded_ids.append(project.pk)
                n = rng.randint(1, MAX_BIDS)
                prices = sorted(cap * Decimal(rng.uniform(0.6, 1.0)) for _ in range(n))
                for rank, (price, agency_id) in enumerate(
                        zip(prices, rng.sample(market.agency_ids, n), strict=True), 1):
                    bids.append(Bid(
                        project=project, agency_id=agency_id,
                        price=price.quantize(Decimal("0.01")), promised_days=30,
                        fee_standard="基准", service_standard="基准", receipt=f"{rank:064x}",
                        salt="0" * 64, sealed_at=opened, submitted_at=opened, valid=True,
                        rank=rank))
                winners.append((len(bids) - n, opened))
            Bid.objects.bulk_create(bids, batch_size=BATCH)
            Award.objects.bulk_create([
                Award(project_id=bids[first].project.pk, bid_id=bids[first].pk,
                      proposed_at=opened + dt.timedelta(days=1),
                      publicity_ends_at=opened + dt.timedelta(days=8), final=True,
                      finalized_at=opened + dt.timedelta(days=8))
                for first, opened in winners], batch_size=BATCH)
        done += size


def _credit(rng: random.Random, market: Market, now: dt.datetime, scale: float) -> None:
    """Ratings and penalties on the agencies (as the credit bench), the set-based recompute,
    then the grade-D rule: the blacklist entries it writes are the product's own."""
    from ratings.services.automatic import apply_grade_rule
    from ratings.services.credit import recompute_scores

    rows = []
    for n in range(len(market.agency_ids) * CREDIT_EVENTS_PER_AGENCY):
        organization = rng.choice(market.agency_ids)
        occurred = now - dt.timedelta(days=rng.randint(0, 900))
        if n % 6:
            rows.append(CreditEvent(
                organization_id=organization, event_type="rating_received", severity="info",
                points=Decimal(0), rating_value=Decimal(rng.choice(RATINGS)),
                occurred_at=occurred, expires_at=occurred + dt.timedelta(days=1095),
                recorded_at=occurred))
        else:
            kind, points, severity = rng.choice(PENALTIES)
            rows.append(CreditEvent(
                organization_id=organization, event_type=kind, severity=severity,
                points=Decimal(points), occurred_at=occurred,
                expires_at=occurred + dt.timedelta(days=365), recorded_at=occurred))
    CreditEvent.objects.bulk_create(rows, batch_size=BATCH)
    started = time.perf_counter()
    recompute_scores(now=now)
    print(f"  (set-based recompute: {time.perf_counter() - started:.1f} s)")
    # Each listing is a whole use case (audit entry, announcement, the sanction's effects on
    # the agency's bids: seconds each here, as it re-ranks every project the agency bid on);
    # a few hundred make the blacklist's pages.
    graded_d = list(Organization.objects.filter(pk__in=market.agency_ids, credit_grade="D")
                    .order_by("pk")[:max(10, int(BLACKLISTED * scale))])
    market.blacklisted = apply_grade_rule(now=now, organizations=graded_d)


def _home_blocks() -> None:
    """The home page with its live blocks, as the site's editors set it up (an empty body would
    read nothing)."""
    from cms.models import HomePage

    page = HomePage.objects.live().first()
    page.body = [("market_figures", {"heading": ""}),
                 ("latest_announcements", {"heading": "", "count": 6}),
                 ("closing_projects", {"heading": "", "count": 6}),
                 ("new_agencies", {"heading": "", "count": 6})]
    page.save_revision().publish()


def _announcements(rng: random.Random, market: Market, count: int) -> None:
    """Procurement announcements of open projects and result announcements of awarded ones,
    published as the platform does after the events (cms.announcements)."""
    from bidding.signals import ProjectEvent
    from cms.announcements import announce_bidding_event

    opened = rng.sample(market.open_ids, min(len(market.open_ids), count // 2))
    awarded = rng.sample(market.awarded_ids, min(len(market.awarded_ids), count - len(opened)))
    award_of = dict(Award.objects.filter(project_id__in=awarded)
                    .values_list("project_id", "pk"))
    for project_id in opened:
        page = announce_bidding_event(ProjectEvent.PUBLISHED, project_id=project_id)
        market.announcement_urls.append(page.url)
    for project_id in awarded:
        page = announce_bidding_event(ProjectEvent.FINALIZED, project_id=project_id,
                                      award_id=award_of[project_id])
        market.announcement_urls.append(page.url)
