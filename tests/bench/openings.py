"""Opening at scale (issue 14 §1): 1,000 projects with 20 sealed bids each reach one deadline;
the beat and a worker with 2 processes (prefork) on Redis open all of them, each once.

Set-up, fast but real where it matters: agencies and owners with one user each, projects
inserted straight into their "bidding" state, and 20 bids per project sealed with the real
sealing (each project's data key made and wrapped by `bidding.sealing.data_key`, every bid's
contents encrypted by `marketplace.sealing.encrypt` under its own associated data, receipts by
`bidding.receipts.seal`), inserted with bulk_create. Then `celery beat` and `celery worker
--concurrency 2` start on redis://127.0.0.1:6379/13 against the bench's throwaway database
(they inherit DATABASE_URL / SQLITE_PATH and MARKETPLACE_VAR_DIR from `tests.bench`), with the
due tasks' period at production's 2 s (MARKETPLACE_DUE_TASKS_SECONDS). Once both are up, every
project's deadline is set a few seconds ahead in one UPDATE, and the bench polls the database until
every project is opened: deadline → first opening, → last opening committed, openings per
second; then until every opening's announcement and notifications exist.

Checks: each project opened exactly once (one `project.opened` audit entry each, opened_at set,
one opening announcement each, one "bids opened" notice per user, no duplicates), every bid
decrypted, and the audit chain intact.

Meant for PostgreSQL; on SQLite the worker's two processes take turns at the one writer lock.
"""

import datetime as dt
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.db.models import Count
from django.utils import timezone

from bidding import receipts
from bidding import sealing as bid_sealing
from bidding.models import Bid, Project
from marketplace import sealing
from marketplace.accounts.models import Membership, Organization
from tests.bench import report
from tests.factories.accounts import AgencyFactory, OwnerFactory, region
from tests.factories.bidding import offer, service_item

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/13"
PROJECTS = 1000
BIDS = 20
AGENCIES = 60
OWNERS = 25
LEAD = 4.0  # seconds between setting the deadline and reaching it
GOAL = 10.0  # seconds, deadline → last opening committed


def run(options) -> None:
    projects = max(1, round(PROJECTS * options.scale))
    rng = random.Random(options.seed)
    print(f"vendor: {connection.vendor}; {projects:,} projects × {BIDS} bids; "
          f"worker: 2 processes (prefork); beat period "
          f"{os.environ.get('MARKETPLACE_DUE_TASKS_SECONDS', '2')} s")
    if connection.vendor != "postgresql":
        print("note: SQLite admits one writer at a time: the two worker processes take turns")
    started = time.perf_counter()
    ids, users_per_project = _seed(projects, rng)
    print(f"set-up: {projects:,} projects, {projects * BIDS:,} sealed bids in "
          f"{time.perf_counter() - started:.1f} s")
    connections.close_all()  # the worker and beat open their own
    with (tempfile.TemporaryDirectory(prefix="bench-openings-") as workdir,
          _Celery(Path(workdir)) as celery):
        deadline = timezone.now() + dt.timedelta(seconds=LEAD)
        Project.objects.filter(pk__in=ids).update(bid_deadline=deadline)
        print(f"deadline set {LEAD:.0f} s ahead; load {_load()}")
        timeline = _watch(ids, deadline, users_per_project, celery)
        _tasks(celery.log("worker"))
    _report(projects, timeline)
    _check(ids, users_per_project)


# --- Set-up ---------------------------------------------------------------------------------

def _seed(projects: int, rng: random.Random) -> tuple[list[int], dict[int, int]]:
    """Published projects and their sealed bids; returns the project ids and, per project,
    how many users hear of its opening (the owner's and every bidder's)."""
    item = service_item()
    place = region()
    agencies = [AgencyFactory(region=place) for _ in range(AGENCIES)]
    for agency in agencies:
        offer(agency, item, promised_days=30)
    owners = [OwnerFactory(region=place) for _ in range(OWNERS)]
    _one_user_each([*agencies, *owners])
    services = _services(item)
    now = timezone.now()
    far = now + dt.timedelta(days=30)
    methods = [Project.Method.LOWEST_PRICE, Project.Method.COMPREHENSIVE]
    rows = [Project(owner=owners[n % OWNERS], title=f"开标压力测试项目{n}", service_item=item,
                    description="编制环境影响报告书并取得批复。", region=place,
                    budget_cap=Decimal("100000.00"), selection_method=methods[n % 2],
                    bid_deadline=far, min_bidders=3, complaint_contact="023-88888888",
                    funding_source=Project.FundingSource.OWN_FUNDS,
                    status=Project.Status.BIDDING, published_at=now - dt.timedelta(days=1),
                    created_at=now - dt.timedelta(days=2), updated_at=now)
            for n in range(projects)]
    created = Project.objects.bulk_create(rows, batch_size=500)
    ids = [p.pk for p in created]
    keys = {pk: bid_sealing.data_key(pk, create=True) for pk in ids}  # the real keys, wrapped
    sealed_at = now - dt.timedelta(hours=2)
    bids = []
    for project in created:
        for agency in rng.sample(agencies, BIDS):
            # Mostly ordinary prices; now and then one abnormally low (under half the mean).
            low = rng.random() < 0.05
            price = Decimal(rng.randint(20000, 30000) if low else rng.randint(70000, 99000))
            bid = Bid(project=project, agency=agency, price=price, promised_days=20,
                      proposal=f"技术方案：{project.title}，由{agency.name}承担。",
                      submitted_at=sealed_at)
            bid.copy_commitments_from(services[agency.pk])
            bid.promised_days = 20
            receipts.seal(bid, now=sealed_at)
            bids.append(bid)
    # Inserted with the plaintext columns empty (the associated data needs the bid's id),
    # then sealed with the real function and written in bulk.
    plain = [bid_sealing.Contents(b.price, b.discount_rate, b.proposal) for b in bids]
    for bid in bids:
        bid.price, bid.discount_rate, bid.proposal = None, None, ""
    Bid.objects.bulk_create(bids, batch_size=1000)
    for bid, contents in zip(bids, plain, strict=True):
        aad = bid_sealing.bid_aad(bid.pk, bid.project_id)
        bid.sealed_contents = sealing.to_text(
            sealing.encrypt(keys[bid.project_id], contents.as_json(), aad))
    Bid.objects.bulk_update(bids, ["sealed_contents"], batch_size=1000)
    users_per_project = dict.fromkeys(ids, BIDS + 1)  # one user per organization
    return ids, users_per_project


def _services(item):
    from providers.models import AgencyService

    return {s.agency_id: s for s in AgencyService.objects.filter(service_item=item)}


def _one_user_each(organizations: list[Organization]) -> None:
    User = get_user_model()
    users = User.objects.bulk_create([
        User(username=f"bench_open_{o.pk}", email=f"bench_open_{o.pk}@example.cn",
             password="!") for o in organizations])
    Membership.objects.bulk_create([
        Membership(user=user, organization=o, role=Membership.Role.ADMIN)
        for user, o in zip(users, organizations, strict=True)])


# --- The worker and the beat ----------------------------------------------------------------

class _Celery:
    """`celery worker --concurrency 2` and `celery beat`, on their own Redis database."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "PYTEST"))},
            "CELERY_BROKER_URL": REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            # The production default period (settings.DUE_EVERY, 2 s) unless told otherwise.
            "MARKETPLACE_DUE_TASKS_SECONDS": os.environ.get("MARKETPLACE_DUE_TASKS_SECONDS", "2"),
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }

    def __enter__(self):
        self._flush()
        self.spawn("worker", ["celery", "-A", "marketplace", "worker", "--pool", "prefork",
                              "--concurrency", "2", "--loglevel", "INFO", "--without-gossip",
                              "--without-mingle", "--without-heartbeat"])
        self.spawn("beat", ["celery", "-A", "marketplace", "beat", "--loglevel", "INFO",
                            "--schedule", str(self.workdir / "beat-schedule")])
        try:
            self.wait_for("worker", "ready.")
            self.wait_for("beat", "beat: Starting")
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_exc):
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._flush()

    def spawn(self, name: str, command: list[str]) -> None:
        log = open(self.workdir / f"{name}.log", "w")  # noqa: SIM115 (the process owns it)
        self.processes[name] = subprocess.Popen([str(BIN / command[0]), *command[1:]],
                                                cwd=ROOT, env=self.env, stdout=log,
                                                stderr=subprocess.STDOUT)
        log.close()

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    def alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise SystemExit(f"openings: {name} exited:\n{self.log(name)[-3000:]}")

    def wait_for(self, name: str, text: str, timeout: float = 120) -> None:
        until = time.monotonic() + timeout
        while text not in self.log(name):
            self.alive()
            if time.monotonic() > until:
                raise SystemExit(f"openings: {name} never said {text!r}:\n"
                                 f"{self.log(name)[-3000:]}")
            time.sleep(0.2)

    def _flush(self) -> None:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()


# --- Watching -------------------------------------------------------------------------------

def _watch(ids: list[int], deadline: dt.datetime, users_per_project: dict[int, int],
           celery: _Celery) -> dict[str, float]:
    """Seconds from the deadline to each milestone, by polling the database."""
    from cms.models import AnnouncementKind, AnnouncementPage
    from marketplace.notifications.models import Notification

    total = len(ids)
    notices = sum(users_per_project.values())
    projects = Project.objects.filter(pk__in=ids)
    timeline: dict[str, float] = {}
    give_up = time.monotonic() + LEAD + 600
    last_print = 0.0
    while time.monotonic() < give_up:
        celery.alive()
        since = (timezone.now() - deadline).total_seconds()
        opened = projects.filter(opened_at__isnull=False).count()
        if opened and "first" not in timeline:
            timeline["first"] = since
        if opened == total and "last" not in timeline:
            timeline["last"] = since
        if "last" in timeline:
            announced = AnnouncementPage.objects.filter(
                kind=AnnouncementKind.OPENING, source_type="project", source_id__in=ids).count()
            told = Notification.objects.filter(kind="bidding.opened").count()
            if announced >= total and "announced" not in timeline:
                timeline["announced"] = since
            if told >= notices and "notified" not in timeline:
                timeline["notified"] = since
            if "announced" in timeline and "notified" in timeline:
                break
        if since - last_print >= 2 and since > 0:
            last_print = since
            print(f"  t={since:5.1f} s opened {opened:,}/{total:,} load {_load()}")
        time.sleep(0.05 if "last" not in timeline else 0.5)
    else:
        print(f"worker log (tail):\n{celery.log('worker')[-3000:]}")
        raise SystemExit(f"openings: not done after 10 minutes: {timeline}")
    connections.close_all()
    return timeline


def _tasks(log: str) -> None:
    """How many tasks of each name the worker ran, and their seconds in all (from its log)."""
    runs: dict[str, list[float]] = {}
    for name, seconds in re.findall(r"Task ([\w.]+)\[[^\]]+\] succeeded in ([\d.]+)s", log):
        runs.setdefault(name, []).append(float(seconds))
    failed = len(re.findall(r"Task [\w.]+\[[^\]]+\] raised", log))
    print(f"\n{'task':<36} {'runs':>6} {'seconds':>8} {'mean ms':>8}")
    for name, values in sorted(runs.items(), key=lambda item: -sum(item[1])):
        print(f"{name:<36} {len(values):>6} {sum(values):>8.1f} "
              f"{sum(values) / len(values) * 1000:>8.1f}")
    print(f"tasks failed: {failed}")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _report(projects: int, timeline: dict[str, float]) -> None:
    last = timeline["last"]
    span = last - timeline["first"]
    rate = projects / span if span > 0 else float("inf")
    print(f"\ndeadline → first opening committed: {timeline['first']:6.2f} s")
    print(f"deadline → last opening committed:  {last:6.2f} s")
    print(f"openings per second (first → last): {rate:8.1f}")
    print(f"deadline → every announcement:      {timeline['announced']:6.2f} s")
    print(f"deadline → every notification:      {timeline['notified']:6.2f} s")
    print(f"load average: {_load()}")
    bids = f"{projects:,} × {BIDS}"
    report.at_most("openings", f"{bids} opened, deadline → last", last, GOAL, "s",
                   floor=f"first {timeline['first']:.1f} s")
    report.info("openings", "openings per second", rate, "/s")
    report.info("openings", "deadline → last announcement", timeline["announced"], "s")
    report.info("openings", "deadline → last notification", timeline["notified"], "s")


def _check(ids: list[int], users_per_project: dict[int, int]) -> None:
    from cms.models import AnnouncementKind, AnnouncementPage
    from marketplace.audit.models import AuditEntry
    from marketplace.audit.services import verify_chain
    from marketplace.notifications.models import Notification

    total = len(ids)
    projects = Project.objects.filter(pk__in=ids)
    audits = AuditEntry.objects.filter(action="project.opened", object_type="bidding.project",
                                       object_id__in=[str(pk) for pk in ids])
    audited_twice = audits.values("object_id").annotate(n=Count("id")).filter(n__gt=1).count()
    announcements = AnnouncementPage.objects.filter(kind=AnnouncementKind.OPENING,
                                                    source_type="project", source_id__in=ids)
    notices = Notification.objects.filter(kind="bidding.opened")
    notified_twice = (notices.values("user_id", "url").annotate(n=Count("id"))
                      .filter(n__gt=1).count())
    bids = Bid.objects.filter(project_id__in=ids)
    still_sealed = bids.exclude(sealed_contents="").count()
    no_price = bids.filter(price__isnull=True).count()
    unranked = projects.filter(status=Project.Status.EVALUATING).exclude(
        bids__rank=1).count()
    expected_notices = sum(users_per_project.values())
    chain = verify_chain()
    checks = [
        ("every project opened", projects.filter(opened_at__isnull=False).count() == total,
         f"{projects.filter(opened_at__isnull=False).count():,} of {total:,}"),
        ("every project evaluating", projects.filter(
            status=Project.Status.EVALUATING).count() == total, ""),
        ("one opening audit entry per project", audits.count() == total and not audited_twice,
         f"{audits.count():,} entries, {audited_twice} projects twice"),
        ("one opening announcement per project",
         announcements.count() == total
         and announcements.values("source_id").distinct().count() == total,
         f"{announcements.count():,} announcements"),
        ("one notice per user and project", notices.count() == expected_notices
         and not notified_twice,
         f"{notices.count():,} notices, {expected_notices:,} expected, "
         f"{notified_twice} twice"),
        ("every bid decrypted", still_sealed == 0 and no_price == 0,
         f"{still_sealed} still sealed, {no_price} without a price"),
        ("every project ranked", unranked == 0, f"{unranked} without a first rank"),
        ("audit chain intact", chain.ok, f"{chain.checked:,} entries checked"),
    ]
    print("\nconsistency:")
    for name, ok, detail in checks:
        print(f"  {'ok  ' if ok else 'FAIL'} {name}{f' ({detail})' if detail else ''}")
    if not all(ok for _name, ok, _detail in checks):
        raise SystemExit("openings benchmark: consistency check FAILED")
