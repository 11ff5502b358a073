"""Benchmarks, not tests: `python -m tests.bench [case ...]` (`make bench BENCH=search`).

Each case runs against a throwaway database with all migrations applied: a SQLite file in a
temporary directory by default, or, when DATABASE_URL points at a PostgreSQL server, a database
named `bench_marketplace` (or `$BENCH_DATABASE_NAME`) on it, dropped and created afresh and
dropped again at the end.
"""

import argparse
import contextlib
import importlib
import os
import shutil
import sys
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit

CASES = {
    "search": "tests.bench.search",
    "bidding": "tests.bench.bidding",
    "credit": "tests.bench.credit",
    "priceindex": "tests.bench.priceindex",
    "pages": "tests.bench.pages",
    "openings": "tests.bench.openings",
    "redflags": "tests.bench.redflags",
}
# BENCH_DATABASE_NAME: another name, so that two benches can run side by side on one server.
BENCH_DATABASE = os.environ.get("BENCH_DATABASE_NAME", "bench_marketplace")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", nargs="*", metavar="case",
                        help=f"cases to run (default: all): {', '.join(CASES)}")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply the case's sizes (0.1 for a quick look)")
    parser.add_argument("--repeat", type=int, default=50, help="timed runs per query")
    parser.add_argument("--seed", type=int, default=20260101, help="random seed")
    parser.add_argument("--agencies", type=int, default=32,
                        help="bidding: concurrent agencies (one thread each)")
    parser.add_argument("--racers", type=int, default=1,
                        help="bidding: threads per agency (2 = double submits)")
    parser.add_argument("--duration", type=float, default=20.0,
                        help="bidding, pages: seconds of load")
    options = parser.parse_args(argv)
    cases = options.cases or list(CASES)
    unknown = [case for case in cases if case not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(CASES)}")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # no per-request transport logging
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"  # anything enqueued runs here, not in a broker
    # The bid path's floor: a minimal endpoint under the same stack, routed only for the bench.
    os.environ["MARKETPLACE_BENCH_FLOOR"] = "1"
    with throwaway_database() as description:
        import django
        from django.core.management import call_command

        django.setup()
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"database: {description} (migrated in {time.perf_counter() - started:.1f} s)")
        for case in cases:
            print(f"\n== {case} ==")
            importlib.import_module(CASES[case]).run(options)
        from django.db import connections

        connections.close_all()
    from tests.bench.report import print_table

    print_table()
    return 0


@contextlib.contextmanager
def throwaway_database():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        yield from _postgres(url)
        return
    if url:
        raise SystemExit(f"The benchmark runs on SQLite or PostgreSQL, not {url.split(':')[0]}")
    directory = tempfile.mkdtemp(prefix="bench-")
    os.environ["SQLITE_PATH"] = os.path.join(directory, "bench.sqlite3")
    os.environ["MARKETPLACE_VAR_DIR"] = directory
    try:
        yield f"SQLite file {os.environ['SQLITE_PATH']}"
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _postgres(url: str):
    import psycopg

    parts = urlsplit(url)
    server_url = urlunsplit(parts._replace(scheme="postgresql"))
    bench_url = urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))

    def admin(statement: str) -> None:
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(statement)

    admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    admin(f"CREATE DATABASE {BENCH_DATABASE}")
    os.environ["DATABASE_URL"] = bench_url
    directory = tempfile.mkdtemp(prefix="bench-")
    os.environ["MARKETPLACE_VAR_DIR"] = directory
    try:
        yield f"PostgreSQL database {BENCH_DATABASE} on {parts.hostname}:{parts.port or 5432}"
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        admin(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
