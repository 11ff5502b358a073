"""The most visited pages under load (issue 14 §1 "Pages under load" and "Memory").

A market at scale (tests/bench/pages_market.py: 100,000 projects, 20,000 agencies with services
and credit, about 1,000,000 bids at --scale 1), served as in production: gunicorn with 2 sync
workers, DJANGO_DEBUG=0, collected static files, the bench's database. 16 client threads (one
HTTP connection each, a new request as soon as the last one answered) ask for the pages in
turn for `--duration` seconds, each with its own parameters (a random agency, project,
announcement...). Latency is what a client sees, the wait in gunicorn's queue included.

Goals: p95 ≤ 100 ms per page, ≤ 50 ms for the text searches (directory and projects). Then
memory: the resident set (VmRSS) of each gunicorn worker after the load, and of a Celery
worker's processes after it ran real tasks (the search index of every agency and project, in
batches, and the outbox): ≤ 250 MB and ≤ 300 MB.
"""

import contextlib
import http.client
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, unquote

from django.conf import settings
from django.utils import timezone

from tests.bench import report
from tests.bench.pages_market import Market, seed_market

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CLIENTS = 16
WORKERS = 2
TEXT_GOAL_MS, PAGE_GOAL_MS = 50, 100
WEB_RSS_MB, CELERY_RSS_MB = 250, 300


def run(options) -> None:
    rng = random.Random(options.seed)
    now = timezone.now()
    started = time.perf_counter()
    print("seeding the market:")
    market = seed_market(rng, scale=options.scale, now=now)
    print(f"seeded in {time.perf_counter() - started:.1f} s")
    pages = _pages(rng, market)
    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        env = _environment(workdir)
        _manage(env, "collectstatic", "--noinput", "-v", "0")
        port = _free_port()
        access = workdir / "access.log"
        with _spawn("gunicorn", [BIN / "gunicorn", "marketplace.wsgi", "--workers", str(WORKERS),
                                 "--bind", f"127.0.0.1:{port}", "--timeout", "120",
                                 # The time each request spent in a worker (µs), by page.
                                 "--access-logfile", access,
                                 "--access-logformat", "%({x-bench-page}i)s\t%(s)s\t%(D)s"],
                    env, workdir) as web:
            _wait_ready(port, web)
            _warm_up(port, pages)
            print(f"\n-- {CLIENTS} clients, {options.duration:.0f} s, gunicorn {WORKERS} workers "
                  f"(load average {_load()}) --")
            offset = access.stat().st_size if access.exists() else 0
            timings, statuses, elapsed = _drive(port, pages, options.duration)
            print(f"load average after: {_load()}")
            _report(pages, timings, statuses, elapsed)
            _report_worker_times(pages, access, offset)
            for n, pid in enumerate(_children(web.pid), 1):
                rss = _rss_mb(pid)
                print(f"gunicorn worker {n} (pid {pid}): {rss:.0f} MB resident")
                report.at_most("memory", f"gunicorn worker {n} RSS after load", rss, WEB_RSS_MB,
                               "MB")
        _celery_memory(env, workdir, market)
    finally:
        # Logs, collected static files, the access log: kept with BENCH_KEEP=1.
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"logs kept in {workdir}")


# --- the pages --------------------------------------------------------------------------------

class Page:
    def __init__(self, name: str, urls, goal_ms: int, cookie: str = ""):
        self.name, self.goal_ms, self.cookie = name, goal_ms, cookie
        self.urls = urls if callable(urls) else (lambda rng, fixed=urls: fixed)

    def url(self, rng: random.Random) -> str:
        return quote(self.urls(rng), safe="/?&=%")


def _pages(rng: random.Random, market: Market) -> list[Page]:
    from bidding.models import Project
    from marketplace.accounts.models import Organization
    from marketplace.catalog.models import Region, ServiceItem

    items = list(ServiceItem.objects.filter(is_active=True).values_list("code", flat=True))
    regions = list(Region.objects.values_list("code", flat=True))
    words = ["环评", "测绘", "造价", "工程咨询", "检测", "水保", "安全评价"]
    project_words = ["道路改造", "环评", "测绘", "污水处理厂", "造价", "学校教学楼"]
    # Searches nobody made before (the common words above are answered from the results kept
    # until the index is written; these are ranked afresh): pieces of real titles and names.
    tail_projects = _long_tail(rng, Project.objects.filter(
        pk__in=rng.sample(market.awarded_ids, min(500, len(market.awarded_ids))))
        .values_list("title", flat=True))
    tail_agencies = _long_tail(rng, Organization.objects.filter(
        pk__in=rng.sample(market.agency_ids, min(500, len(market.agency_ids))))
        .values_list("name", flat=True))
    owner_cookie, owner_id = _session_of_busiest("owner")
    agency_cookie, _agency_id = _session_of_busiest("agency")
    print(f"owner workspace: organization {owner_id}")
    return [
        Page("home", "/", PAGE_GOAL_MS),
        Page("project list", "/projects/", PAGE_GOAL_MS),
        Page("project list, filtered", lambda r: (
            f"/projects/?status={r.choice(['bidding', 'awarded', ''])}"
            f"&service_item={r.choice(items)}&region={r.choice(regions)}"), PAGE_GOAL_MS),
        Page("project list, text", lambda r: f"/projects/?q={r.choice(project_words)}",
             TEXT_GOAL_MS),
        Page("project list, text, long tail",
             lambda r: f"/projects/?q={r.choice(tail_projects)}", TEXT_GOAL_MS),
        Page("announcement", lambda r: r.choice(market.announcement_urls), PAGE_GOAL_MS),
        Page("directory", "/agencies/", PAGE_GOAL_MS),
        Page("directory, text", lambda r: f"/agencies/?q={r.choice(words)}", TEXT_GOAL_MS),
        Page("directory, text, long tail", lambda r: f"/agencies/?q={r.choice(tail_agencies)}",
             TEXT_GOAL_MS),
        Page("agency profile", lambda r: f"/agencies/{r.choice(market.agency_ids)}/",
             PAGE_GOAL_MS),
        Page("credit overview", "/credit/", PAGE_GOAL_MS),
        Page("credit page", lambda r: f"/credit/{r.choice(market.agency_ids)}/", PAGE_GOAL_MS),
        Page("blacklist", "/blacklist/", PAGE_GOAL_MS),
        Page("owner workspace", "/workspace/projects/", PAGE_GOAL_MS, owner_cookie),
        Page("agency: my bids", "/workspace/bids/", PAGE_GOAL_MS, agency_cookie),
    ]


def _long_tail(rng: random.Random, texts) -> list[str]:
    """A 2–4 character piece of each text's Chinese, cut where the text is."""
    from marketplace.search.text import CJK_RUN_RE

    pieces = []
    for text in texts:
        runs = [run for run in CJK_RUN_RE.findall(text) if len(run) >= 2]
        if runs:
            run = rng.choice(runs)
            length = rng.randint(2, min(4, len(run)))
            start = rng.randrange(len(run) - length + 1)
            pieces.append(run[start:start + length])
    return pieces


def _session_of_busiest(kind: str) -> tuple[str, int]:
    """A signed-in session (stored where the web workers read sessions) of a new user of the
    organization of `kind` with the most projects (owner) or bids (agency)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count

    from marketplace.accounts.models import Organization
    from tests.factories.accounts import member_of

    related = "projects" if kind == "owner" else "bids"
    organization = (Organization.objects.filter(kind=kind).annotate(n=Count(related))
                    .order_by("-n").first())
    user = member_of(organization, username=f"bench_{kind}")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}", organization.pk


# --- the load ---------------------------------------------------------------------------------

def _drive(port: int, pages: list[Page], duration: float):
    timings: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def client(n: int) -> None:
        rng = random.Random(n)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        turn = n
        while time.monotonic() < stop:
            page = pages[turn % len(pages)]
            turn += 1
            headers = {"Accept-Language": "zh-hans", "X-Bench-Page": quote(page.name)}
            if page.cookie:
                headers["Cookie"] = page.cookie
            started = time.perf_counter()
            try:
                connection.request("GET", page.url(rng), headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                timings[page.name].append(elapsed)
                statuses[page.name][status] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, statuses, time.perf_counter() - started


def _warm_up(port: int, pages: list[Page]) -> None:
    """Each page a few times, one at a time: both workers load their code, templates and
    translations; a page that does not answer 200 stops the bench here."""
    rng = random.Random(0)
    print(f"\n-- one client, no load (load average {_load()}) --")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for page in pages:
        times = []
        for _ in range(6):
            headers = {"Accept-Language": "zh-hans", **({"Cookie": page.cookie}
                                                        if page.cookie else {})}
            url = page.url(rng)
            started = time.perf_counter()
            connection.request("GET", url, headers=headers)
            response = connection.getresponse()
            body = response.read()
            times.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                raise SystemExit(f"{page.name}: {url} answered {response.status}\n"
                                 f"{body[:2000].decode(errors='replace')}")
        print(f"{page.name:<26} median {statistics.median(times[2:]):7.1f} ms  "
              f"(first {times[0]:.0f} ms, {len(body) // 1024} KiB)")
    connection.close()


def _report(pages: list[Page], timings, statuses, elapsed: float) -> None:
    total = sum(len(times) for times in timings.values())
    print(f"{total:,} requests in {elapsed:.1f} s: {total / elapsed:,.1f} requests/s")
    print(f"{'page':<26} {'n':>5} {'req/s':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  "
          f"statuses")
    for page in pages:
        times = sorted(timings[page.name])
        if not times:
            continue
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        codes = ", ".join(f"{code}×{n}" for code, n in sorted(statuses[page.name].items()))
        print(f"{page.name:<26} {len(times):>5} {len(times) / elapsed:>6.1f} "
              f"{statistics.median(times):>8.1f} {p95:>8.1f} {times[-1]:>8.1f}  {codes}")
        report.at_most("pages", f"{page.name} p95", p95, page.goal_ms, "ms")


def _report_worker_times(pages: list[Page], access: Path, offset: int) -> None:
    """The same requests as gunicorn's workers timed them: without the wait in its queue (16
    clients on 2 workers wait for 7 others on average), what one request costs under load."""
    times: dict[str, list[float]] = defaultdict(list)
    with open(access, encoding="utf-8", errors="replace") as log:
        log.seek(offset)
        for line in log:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[2].isdigit():
                times[unquote(parts[0])].append(int(parts[2]) / 1000)
    print("\nin the worker (gunicorn's request time, queue excluded):")
    print(f"{'page':<26} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for page in pages:
        found = sorted(times.get(page.name, []))
        if not found:
            continue
        p95 = found[max(0, round(0.95 * len(found)) - 1)]
        print(f"{page.name:<26} {len(found):>5} {statistics.median(found):>8.1f} {p95:>8.1f} "
              f"{found[-1]:>8.1f}")
        report.info("pages", f"{page.name} p95 in the worker", p95, "ms")


# --- memory of a Celery worker ------------------------------------------------------------------

def _celery_memory(env: dict, workdir: Path, market: Market) -> None:
    """A worker (2 processes, as deployed) on the bench's broker runs the search index of
    every agency and project in batches of 500, as the after-commit tasks do, and the outbox;
    then the resident set of its processes."""
    from marketplace.celery import app
    from marketplace.outbox import tasks as outbox_tasks
    from marketplace.search import tasks as search_tasks

    with _spawn("celery", [BIN / "celery", "-A", "marketplace", "worker", "--concurrency", "2",
                           "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
                env, workdir) as worker:
        time.sleep(5)
        app.conf.task_always_eager = False  # this process sends; the worker runs them
        sent = 0
        try:
            for doc_type, ids in (("agency", market.agency_ids),
                                  ("project", market.open_ids + market.awarded_ids)):
                for first in range(0, len(ids), 500):
                    search_tasks.index.delay(doc_type=doc_type, pks=ids[first:first + 500])
                    sent += 1
            outbox_tasks.flush.delay()
            sent += 1
        finally:
            app.conf.task_always_eager = True
        started = time.perf_counter()
        _wait_idle(worker.pid, Path(env["MARKETPLACE_VAR_DIR"]) / "broker" / "out")
        print(f"\n-- Celery worker: {sent} tasks run in {time.perf_counter() - started:.1f} s "
              f"(load average {_load()}) --")
        parent = _rss_mb(worker.pid)
        print(f"celery main process (pid {worker.pid}): {parent:.0f} MB resident")
        report.at_most("memory", "celery main process RSS", parent, CELERY_RSS_MB, "MB")
        for n, pid in enumerate(_children(worker.pid), 1):
            rss = _rss_mb(pid)
            print(f"celery pool process {n} (pid {pid}): {rss:.0f} MB resident")
            report.at_most("memory", f"celery pool process {n} RSS after tasks", rss,
                           CELERY_RSS_MB, "MB")


def _wait_idle(pid: int, queue: Path, timeout: float = 1800) -> None:
    """Until the broker's queue is empty and the worker's processes stop using CPU."""
    deadline = time.monotonic() + timeout
    last = -1
    while time.monotonic() < deadline:
        pending = len(list(queue.glob("*"))) if queue.exists() else 0
        used = sum(_cpu_ticks(p) for p in [pid, *_children(pid)])
        if pending == 0 and used == last:
            return
        last = used
        time.sleep(2)
    raise SystemExit("the Celery worker did not finish its tasks")


# --- processes --------------------------------------------------------------------------------

def _environment(workdir: Path) -> dict:
    """Production settings over the bench's database (DATABASE_URL or SQLITE_PATH and
    MARKETPLACE_VAR_DIR, as the bench set them), with this process's secret key: the sessions
    created here are then valid there."""
    (workdir / "prometheus").mkdir()
    return {
        **{key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "CELERY_", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_CONN_MAX_AGE": "60",  # README "Production": gunicorn's fixed worker pool
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "STATIC_ROOT": str(workdir / "static"),
        "PROMETHEUS_MULTIPROC_DIR": str(workdir / "prometheus"),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }


def _manage(env: dict, *args: str) -> None:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)}:\n{done.stderr[-3000:]}")


@contextlib.contextmanager
def _spawn(name: str, command: list, env: dict, workdir: Path):
    with open(workdir / f"{name}.log", "w") as log:
        process = subprocess.Popen([str(part) for part in command], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_ready(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited; see its log")
        with contextlib.suppress(OSError, http.client.HTTPException):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return
        time.sleep(0.5)
    raise SystemExit("gunicorn never answered /healthz")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])
