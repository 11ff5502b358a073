"""Many agencies bid at the same moment on SQLite configured by a `sqlite:///` DATABASE_URL.

Issue #13: with `DATABASE_URL=sqlite:///…` the settings used to lose the SQLite tuning (WAL,
IMMEDIATE transactions, busy timeout) that the default SQLite path has, and 30 agencies bidding
at once got 23 × 500 "database is locked". The rule: whichever way SQLite is configured, its
writers queue for the lock instead of failing.

Why not pytest-django's `live_server` on the usual test database: that database is SQLite in
memory, and a live server over an in-memory database shares the test's one connection between
all its threads (Django's `connections_override`), so requests never contend for SQLite's lock
the way the development server's threads do. This test copies the migrated test database into a
file, points the `default` alias at it through the DATABASES entry a `sqlite:///<file>` URL
produces, and serves it with Django's own threaded live server, one connection per thread.
"""

import json
import sqlite3
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test.testcases import LiveServerThread
from django.utils import timezone

from bidding.models import Bid
from marketplace.accounts.services.tokens import api_token_issue
from marketplace.settings_backends import database_settings
from tests.factories.bidding import agency_offering, published_project, user_of

AGENCIES = 16


def _on_sqlite() -> bool:
    return connections["default"].vendor == "sqlite"


@pytest.fixture
def sqlite_url_database(transactional_db, django_db_blocker, tmp_path):
    """The `default` alias on a file copy of the test database, configured from a URL."""
    if not _on_sqlite():
        pytest.skip("checks the SQLite settings; on PostgreSQL the row locks queue the bids")
    with django_db_blocker.unblock():
        in_memory = connections["default"]
        in_memory.ensure_connection()
        assert in_memory.is_in_memory_db()
        path = tmp_path / "market.sqlite3"
        with sqlite3.connect(path) as copy:
            in_memory.connection.backup(copy)
        entry = database_settings({"DATABASE_URL": f"sqlite:///{path}"}, ["pytest"],
                                  default_sqlite_path="unused")
        entry = connections.configure_settings({"default": entry})["default"]
        saved_entry = connections.settings["default"]
        # New threads build their connection from connections.settings; this thread from
        # the wrapper set here. The in-memory database stays open (and alive) meanwhile.
        connections.settings["default"] = entry
        connections["default"] = DatabaseWrapper(entry, "default")
        try:
            yield entry
        finally:
            connections["default"].close()
            connections.settings["default"] = saved_entry
            connections["default"] = in_memory


@pytest.fixture
def threaded_server(sqlite_url_database):
    """Django's threaded development server (as runserver: a thread per client connection)."""
    server = LiveServerThread("127.0.0.1", StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield f"http://127.0.0.1:{server.port}"
    server.terminate()


def _post_bid(url: str, token: str, start: threading.Barrier) -> tuple[int, dict]:
    body = json.dumps({"price": "80000.00", "promised_days": 20, "proposal": "技术方案"})
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Authorization": f"Token {token}", "Content-Type": "application/json",
        "Accept-Language": "en"})
    start.wait()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {"error": error.read().decode(errors="replace")[:300]}


@pytest.mark.django_db(transaction=True)  # a transaction open here would block the copy
def test_sqlite_from_a_url_queues_simultaneous_sealed_bids_instead_of_locking(
        sqlite_url_database, threaded_server):
    assert sqlite_url_database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    project = published_project(now=timezone.now())
    tokens = [api_token_issue(user=user_of(agency_offering()))[1]
              for _ in range(AGENCIES)]
    url = f"{threaded_server}/api/v1/projects/{project.pk}/bids/"
    start = threading.Barrier(AGENCIES)

    with ThreadPoolExecutor(max_workers=AGENCIES) as pool:
        results = list(pool.map(lambda token: _post_bid(url, token, start), tokens))

    failures = [(status, body) for status, body in results if status != 201]
    assert failures == []  # no "database is locked" (500), no refusal
    acknowledged = {body["receipt"]: body["id"] for _status, body in results}
    stored = dict(Bid.objects.filter(project=project).values_list("receipt", "id"))
    assert len(acknowledged) == AGENCIES
    assert stored == acknowledged  # every acknowledged bid is stored, with its receipt
