"""The price index at market scale (issue 15 "Benchmarks"): 100,000 projects with a final
award, 1,000,000 bids, 20,000 agencies (`--scale` multiplies all three).

Prints the seeding time, then p50/p95/max latency of the public item page
(`/price-index/items/<code>/`, the figures computed afresh: a new cache generation before
each request, and served from the cache), of the overview page and of the owner form's hint
fragment, over random items and regions. The goal is a p95 of at most 50 ms for the page.
No assertion: figures only.
"""

import random
import statistics
import time

from django.test import Client
from django.utils import timezone

from bidding.models import Bid
from bidding.selectors_price_index import _compute_item, _compute_overview, clear_cache
from marketplace.catalog.models import Region, ServiceItem
from tests.bench import market, report

PROJECTS = 100_000
AGENCIES = 20_000


def _timed(client: Client, urls: list[str], *, cold: bool) -> list[float]:
    times = []
    for url in urls:
        if cold:
            clear_cache()  # a new generation: the figures are computed afresh
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return times


def _report(name: str, times: list[float], goal_ms: float | None = None) -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    print(f"{name:<42} p50 {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   "
          f"max {ordered[-1]:7.1f} ms   ({len(ordered)} requests)")
    if goal_ms is not None:
        report.at_most("priceindex", f"{name} p95", p95, goal_ms, "ms")


def run(options) -> None:
    rng = random.Random(options.seed)
    projects = int(PROJECTS * options.scale)
    agencies = max(50, int(AGENCIES * options.scale))
    now = timezone.now()
    started = time.perf_counter()
    market.seed(rng, projects, agencies, now)
    print(f"seeded {projects:,} awarded projects, {Bid.objects.count():,} bids and "
          f"{agencies:,} agencies in {time.perf_counter() - started:.1f} s")

    codes = list(ServiceItem.objects.filter(is_active=True).values_list("code", flat=True))
    regions = [None, "500000", *Region.objects.exclude(code="500000")
               .values_list("code", flat=True)[:8]]
    urls = []
    for _ in range(options.repeat):
        code, region = rng.choice(codes), rng.choice(regions)
        urls.append(f"/price-index/items/{code}/" + (f"?region={region}" if region else ""))
    client = Client()
    client.get(urls[0])  # warm up the process (templates, translations)
    _report("item page, computed (cache cleared)", _timed(client, urls, cold=True), 50)
    _timed(client, urls, cold=False)
    _report("item page, from the cache", _timed(client, urls, cold=False), 50)
    overview = ["/price-index/"] * max(5, options.repeat // 5)
    _report("overview page, computed", _timed(client, overview, cold=True))
    _report("overview page, from the cache", _timed(client, overview, cold=False))
    # The figures alone (the queries and the statistics, no page), and a page with no figures
    # for scale: what rendering costs on this machine.
    item_ids = list(ServiceItem.objects.filter(is_active=True).values_list("pk", flat=True))
    region_rows = list(Region.objects.all())
    figures = []
    for _ in range(options.repeat):
        item = ServiceItem.objects.get(pk=rng.choice(item_ids))
        region = rng.choice([None, *region_rows])
        started = time.perf_counter()
        _compute_item(item, region, timezone.localtime())
        figures.append((time.perf_counter() - started) * 1000)
    _report("item figures alone (no page)", figures)
    started = time.perf_counter()
    _compute_overview(None, timezone.localtime())
    print(f"overview figures alone (no page): {(time.perf_counter() - started) * 1000:.1f} ms")
    _report("catalogue page (no figures), for scale",
            _timed(client, ["/service-items/"] * max(5, options.repeat // 5), cold=False))
    hints = [f"/price-index/cap-hint/?service_item={rng.choice(codes)}&region=500103"
             f"&budget_cap={rng.randrange(10, 500) * 1000}" for _ in range(options.repeat)]
    _report("owner form hint, computed", _timed(client, hints, cold=True))
