"""Red flags at market scale (issue 15 "Benchmarks"): 100,000 projects, about 1,000,000 bids,
20,000 agencies (`--scale` multiplies all three), a varied market (`tests.bench.market`) so
that every indicator finds something.

Prints the seeding time, each indicator computed alone (the slowest stands out) with what it
found, then the full run (`red_flags_run`: every indicator, and the flags stored) and a second
run, the nightly re-run where most flags already exist and are updated, not added. The goal
for a run is 30 s on PostgreSQL and 60 s on SQLite. No assertion: figures only.
"""

import random
import time

from django.db import connection
from django.utils import timezone

from bidding.models import Bid, Project
from ratings.models import RedFlag, RedFlagParty
from ratings.redflags.indicators import every_indicator
from ratings.services.redflags import red_flags_run
from tests.bench import market, report

PROJECTS = 100_000
AGENCIES = 20_000
GOAL_SECONDS = {"postgresql": 30, "sqlite": 60}


def _load() -> str:
    try:
        with open("/proc/loadavg") as f:
            return "load " + " ".join(f.read().split()[:3])
    except OSError:
        return ""


def _run(name: str, limit: float) -> None:
    started = time.perf_counter()
    run = red_flags_run()
    seconds = time.perf_counter() - started
    flags = RedFlag.objects.count()
    print(f"{name}: {seconds:.1f} s ({_load()}); {flags:,} flags, "
          f"{RedFlagParty.objects.count():,} parties; found: "
          + ", ".join(f"{k} {v:,}" for k, v in run.counts.items()))
    report.at_most("redflags", name, seconds, limit, "s")


def run(options) -> None:
    rng = random.Random(options.seed)
    projects = int(PROJECTS * options.scale)
    agencies = max(50, int(AGENCIES * options.scale))
    started = time.perf_counter()
    market.seed(rng, projects, agencies, timezone.now(), varied=market.Varied())
    print(f"seeded {projects:,} projects ({Project.objects.filter(status='failed').count():,} "
          f"failed), {Bid.objects.count():,} bids ({Bid.objects.filter(valid=False).count():,} "
          f"disqualified) and {agencies:,} agencies in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have by the nightly run

    print(f"each indicator alone ({_load()}):")
    for indicator in every_indicator():
        started = time.perf_counter()
        findings = indicator()
        seconds = time.perf_counter() - started
        print(f"  {indicator.__name__:<40} {seconds:7.2f} s   {len(findings):7,} findings")
        report.info("redflags", indicator.__name__[:44], seconds, "s")

    limit = GOAL_SECONDS.get(connection.vendor, 60)
    _run("full run (compute and store)", limit)
    _run("second run (flags exist: updated)", limit)
