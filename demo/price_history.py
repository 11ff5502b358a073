"""A year of awarded projects for two service items, so the price index (issue 15 §3) and the
owner form's budget-cap hint have data in the demo: six projects each for 环境影响评价（报告表）
(EIA-T) and 1:500 地形图测绘 (MAP-TOPO), published from about eleven months ago to a month ago,
each taken through the services to a final award (`demo.projects.walk`). Idempotent like the
other demo projects (same owner and title: left alone)."""

import logging

from django.db import transaction

from bidding.models import Project
from demo.market import OFFERS, DemoClock
from demo.projects import DemoBid, DemoProject, plan, walk

logger = logging.getLogger(__name__)
Method = Project.Method

# Working days back of each publication: roughly one every two months over the past year.
DAYS_BACK = (230, 190, 150, 110, 70, 30)
# (item, region, owner, title pattern, budget caps, bidders, winning discounts per project)
HISTORIES = (
    ("EIA-T", "500112", "owner1", "渝北区第{n}批市政配套项目环境影响评价（报告表）",
     ("98000", "120000", "86000", "135000", "105000", "92000"),
     ("agency1", "agency2", "agency5"), ("0.78", "0.83", "0.74", "0.88", "0.80", "0.85")),
    ("MAP-TOPO", "500106", "owner3", "沙坪坝区第{n}批道路工程1:500地形图测绘",
     ("150000", "176000", "128000", "162000", "140000", "188000"),
     ("agency3", "agency5", "agency6"), ("0.81", "0.76", "0.86", "0.79", "0.83", "0.77")),
)


def promised_days(agency: str, item: str) -> int:
    """The agency's own promise for the item (a bid may not promise more)."""
    return next(days for code, days, *_rest in OFFERS[agency] if code == item)


def history_specs() -> list[tuple[int, DemoProject]]:
    specs = []
    for item, region, owner, title, caps, bidders, factors in HISTORIES:
        for n, (days_back, cap, factor) in enumerate(zip(DAYS_BACK, caps, factors, strict=True),
                                                     1):
            winning = int(int(cap) * float(factor))
            bids = tuple(DemoBid(agency, f"{winning + i * int(cap) // 20}.00",
                                 promised_days(agency, item) - i)
                         for i, agency in enumerate(bidders))
            specs.append((days_back, DemoProject(
                owner=owner, title=title.format(n=n), item=item, region=region,
                description="按区政府年度计划分批实施的配套工程，委托开展本批次技术服务并取得主管部门"
                            "审批意见。",
                method=Method.LOWEST_PRICE, budget=cap, target="awarded", bids=bids,
                min_bidders=2)))
    return specs


def history_start(clock: DemoClock):
    """When the oldest history is created (the agencies' offers must come before it)."""
    return min(plan(clock, spec, clock.at(clock.working_day_back(days), 9))["create"]
               for days, spec in history_specs())


def seed_price_history(market, clock: DemoClock) -> list[Project]:
    made = []
    for days_back, spec in history_specs():
        owner = market.organizations.get(spec.owner)
        needed = {spec.owner, *(b.agency for b in spec.bids)}
        if owner is None or not needed <= set(market.organizations):
            continue
        if Project.objects.filter(owner=owner, title=spec.title).exists():
            continue
        times = plan(clock, spec, clock.at(clock.working_day_back(days_back), 9))
        if times["finalize"] >= clock.now:
            logger.warning("Demo price history %r left out: the configured periods are too "
                           "long for its award to be final by now.", spec.title)
            continue
        with transaction.atomic():
            made.append(walk(spec, times, market.organizations))
    return made
