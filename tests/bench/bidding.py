"""Many agencies bidding on one project at the same time, through the REST API, against the
floor: the least a write through the same stack costs (`operations.bench_floor`).

N agencies (one process each, as separate application server workers would be, each with its
own database connection and API token) submit a bid, withdraw it and submit again, for a fixed
time, on one project. With `--racers 2` two processes act for each agency at once (a double
submit): one of two simultaneous submissions must be refused with 409 by the one-live-bid rule.
Every request goes the whole way: token auth, serializer, the `bid_submit` / `bid_withdraw`
service with its row lock on the project, the receipt, the audit entry (its stream's hash chain)
and the after-commit effects.

Prints throughput, p50/p95/max latency per operation, errors, and a consistency check: bids
stored = bids acknowledged (201), withdrawals stored = withdrawals acknowledged (204), at most
one live bid per agency, unique receipts, and the audit chain verified end to end.

Meant for PostgreSQL (`DATABASE_URL=postgres://… make bench BENCH=bidding`); on SQLite it runs
too, but SQLite admits one writer at a time, so the figures show its ceiling, not contention.
"""

import datetime as dt
import logging
import multiprocessing
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, connections
from django.db.models import Count
from django.utils import timezone
from rest_framework.test import APIClient

from bidding.models import Bid
from marketplace.accounts.services import api_token_issue
from marketplace.audit.models import AuditEntry
from marketplace.audit.services import verify_chain
from tests.bench import report
from tests.factories.bidding import agency_offering, published_project, user_of


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    submitted_ids: list[int] = field(default_factory=list)
    withdrawn_ids: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0


FEW = 4  # the goal's "4 clients"


def run(options) -> None:
    """The floor and the real submit at 4 clients, then the real submit at `--agencies`
    (default 32), each on a fresh project, with the final table's figures."""
    many = max(1, round(options.agencies * options.scale))
    duration = options.duration
    racers = max(1, options.racers)
    # The racers' expected 409s would each log a warning; the report counts them instead.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    print(f"vendor: {connection.vendor}; processes per agency: {racers}; "
          f"duration: {duration:.0f} s per phase")
    if connection.vendor != "postgresql":
        print("note: SQLite serializes writers; run with DATABASE_URL=postgres://… for the "
              "figures that matter")

    floor = _phase("floor", FEW, 1, duration)
    few = _phase("submit", FEW, racers, duration)
    crowd = _phase("submit", many, racers, duration)
    floor_p50 = statistics.median(floor.latencies["floor"]) * 1000
    submit_p50 = statistics.median(few.latencies["submit"]) * 1000
    p95_few = _percentile(few.latencies["submit"], 95) * 1000
    p95_many = _percentile(crowd.latencies["submit"], 95) * 1000
    report.at_most("bidding", f"submit p50 / floor p50, {FEW} clients",
                   submit_p50 / floor_p50, 2.5, "×", floor=f"floor p50 {floor_p50:.1f} ms")
    report.at_most("bidding", f"submit p95 {many} clients / p95 {FEW} clients",
                   p95_many / p95_few, 4.0, "×", floor=f"p95@{FEW} {p95_few:.1f} ms")
    report.info("bidding", f"bids accepted per second, {many} clients",
                len(crowd.submitted_ids) / crowd.elapsed, "/s",
                floor=f"{FEW} clients: {len(few.submitted_ids) / few.elapsed:,.1f}/s")


def _phase(mode: str, clients: int, racers: int, duration: float) -> "Tally":
    print(f"\n-- {mode}: {clients} clients × {racers} --")
    started = time.perf_counter()
    now = timezone.now()
    project = published_project(now=now, bid_deadline=now + dt.timedelta(days=10),
                                budget_cap="1000000.00")
    tokens = []
    for _ in range(clients):
        agency = agency_offering()
        tokens.append(api_token_issue(user=user_of(agency))[1])
    entries_before = AuditEntry.objects.count()
    print(f"set-up: project #{project.pk} and {clients} agencies in "
          f"{time.perf_counter() - started:.1f} s")
    connections.close_all()  # the workers open their own

    # Processes, not threads: one Python process is bound by its interpreter lock, and the
    # point is the database and the services under real concurrency. Forked after Django is
    # set up; no connection may cross the fork.
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = clients * racers
    barrier = context.Barrier(workers + 1)
    processes = [
        context.Process(target=_worker,
                        args=(mode, project.pk, token, n, barrier, duration, results))
        for n, token in enumerate(tokens) for _ in range(racers)
    ]
    for process in processes:
        process.start()
    barrier.wait(timeout=120)
    began = time.perf_counter()
    tally = Tally()
    for _ in processes:
        part = results.get(timeout=duration + 120)
        for name, values in part.latencies.items():
            tally.latencies[name].extend(values)
        tally.statuses.update(part.statuses)
        tally.submitted_ids.extend(part.submitted_ids)
        tally.withdrawn_ids.extend(part.withdrawn_ids)
        tally.errors.extend(part.errors)
    tally.elapsed = time.perf_counter() - began
    for process in processes:
        process.join()
    _report(tally, tally.elapsed)
    if mode == "submit":
        _check(project.pk, tally, entries_before)
    return tally


def _worker(mode: str, project_id: int, token: str, n: int, barrier, duration: float,
            results) -> None:
    tally = Tally()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    submit_url = f"/api/v1/projects/{project_id}/bids/"
    price = 500000 + n
    try:
        client.get("/api/v1/me/")  # warm up: URL conf, translations, the first connection
        barrier.wait(timeout=120)
        stop_at = time.perf_counter() + duration
        while mode == "floor" and time.perf_counter() < stop_at:
            status, seconds, body = _timed(client.post, "/api/v1/bench/floor/",
                                           {"proposal": "技术方案与进度安排"})
            tally.statuses[f"floor {status}"] += 1
            tally.latencies["floor"].append(seconds)
            if status != 201:
                tally.errors.append(f"floor {status}: {str(body)[:200]}")
        while mode == "submit" and time.perf_counter() < stop_at:
            price += 1
            status, seconds, body = _timed(client.post, submit_url,
                                           {"price": f"{price}.00", "promised_days": 20,
                                            "proposal": "技术方案与进度安排"})
            tally.statuses[f"submit {status}"] += 1
            tally.latencies["submit"].append(seconds)
            if status == 201:
                tally.submitted_ids.append(body["id"])
            if status == 409:
                continue  # another process of this agency holds the live bid: try again
            if status != 201:
                tally.errors.append(f"submit {status}: {str(body)[:200]}")
                continue
            bid_id = body["id"]
            status, seconds, body = _timed(client.delete, f"/api/v1/bids/{bid_id}/")
            tally.statuses[f"withdraw {status}"] += 1
            tally.latencies["withdraw"].append(seconds)
            if status == 204:
                tally.withdrawn_ids.append(bid_id)
            else:
                tally.errors.append(f"withdraw {status}: {str(body)[:200]}")
    except Exception as exc:  # a worker must never die silently: it is counted and shown
        tally.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()
        results.put(tally)


def _timed(call, url, data=None):
    started = time.perf_counter()
    response = call(url, data, format="json") if data is not None else call(url)
    seconds = time.perf_counter() - started
    body = response.json() if response.content else None
    return response.status_code, seconds, body


def _percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _report(tally: Tally, elapsed: float) -> None:
    accepted = len(tally.submitted_ids)
    print(f"\nran {elapsed:.1f} s: {accepted:,} bids accepted ({accepted / elapsed:,.1f} bids/s), "
          f"{len(tally.withdrawn_ids):,} withdrawn")
    print(f"{'operation':<10} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, values in sorted(tally.latencies.items()):
        ms = [v * 1000 for v in values]
        print(f"{name:<10} {len(ms):>7} {statistics.median(ms):>8.1f} "
              f"{_percentile(ms, 95):>8.1f} {max(ms):>8.1f}")
    print("responses: " + ", ".join(f"{key}: {count}" for key, count in
                                    sorted(tally.statuses.items())))
    print(f"errors: {len(tally.errors)}")
    for error in tally.errors[:10]:
        print(f"  {error}")


def _check(project_id: int, tally: Tally, entries_before: int) -> None:
    bids = Bid.objects.filter(project_id=project_id)
    stored = set(bids.values_list("id", flat=True))
    acknowledged = set(tally.submitted_ids)
    withdrawn_stored = set(bids.filter(status=Bid.Status.WITHDRAWN).values_list("id", flat=True))
    doubled_live = (bids.filter(status=Bid.Status.SUBMITTED).values("agency")
                    .annotate(n=Count("id")).filter(n__gt=1).count())
    receipts = list(bids.values_list("receipt", flat=True))
    chain = verify_chain()
    new_entries = AuditEntry.objects.count() - entries_before
    checks = [
        ("bids stored = bids acknowledged", stored == acknowledged,
         f"{len(stored):,} stored, {len(acknowledged):,} acknowledged"),
        ("no acknowledgement counted twice", len(tally.submitted_ids) == len(acknowledged), ""),
        ("withdrawals stored = withdrawals acknowledged",
         withdrawn_stored == set(tally.withdrawn_ids),
         f"{len(withdrawn_stored):,} stored, {len(set(tally.withdrawn_ids)):,} acknowledged"),
        ("at most one live bid per agency", doubled_live == 0,
         f"{doubled_live} agencies with more"),
        ("receipts unique", len(receipts) == len(set(receipts)), f"{len(receipts):,} receipts"),
        ("audit chain intact", chain.ok, f"{chain.checked:,} entries checked, "
                                         f"{new_entries:,} written during the run"),
    ]
    print("\nconsistency:")
    for name, ok, detail in checks:
        print(f"  {'ok  ' if ok else 'FAIL'} {name}{f' ({detail})' if detail else ''}")
    if not all(ok for _name, ok, _detail in checks):
        raise SystemExit("bidding benchmark: consistency check FAILED")
