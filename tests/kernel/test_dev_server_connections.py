"""The development server keeps no PostgreSQL connection per thread (issue #13).

`runserver` serves each client connection in its own thread, which lives as long as the client
keeps the socket alive. With persistent database connections (CONN_MAX_AGE > 0) every such
thread kept its own PostgreSQL connection, and 4 agencies bidding for 15 s ran the server out of
connections ("too many clients", 1,038 × 500). The rule: under runserver the connection age is
always 0 (settings_backends.conn_max_age), whatever DATABASE_CONN_MAX_AGE says.

Django's own live server would not show it: pytest-django's runs without `runserver` on the
command line. So this starts `manage.py runserver` on the test database with
DATABASE_CONN_MAX_AGE=60, the value that leaked, and keeps the clients' sockets open.
"""

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

CLIENTS = 30
# The server's own main-thread connection (the migrations check) and the outbox sender's.
SPARE_CONNECTIONS = 2

pytestmark = [
    pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
                       reason="counts PostgreSQL connections (pg_stat_activity); SQLite has "
                              "no server to run out of connections"),
    pytest.mark.django_db(transaction=True),  # the server's threads must see committed data
]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"]
                                             else "")
    return (f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity "
                       "WHERE datname = %s AND pid <> pg_backend_pid()",
                       [connection.settings_dict["NAME"]])
        return cursor.fetchone()[0]


@pytest.fixture
def development_server(tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": _database_url(), "DATABASE_CONN_MAX_AGE": "60",
           "CELERY_TASK_ALWAYS_EAGER": "1", "MARKETPLACE_VAR_DIR": str(tmp_path)}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks",
         f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"runserver did not start: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
    yield port
    server.terminate()
    server.wait(timeout=30)


def test_a_burst_on_runserver_leaves_no_database_connection_per_thread(development_server):
    baseline = _server_connections()
    start = threading.Barrier(CLIENTS)

    def browse(_n):
        client = http.client.HTTPConnection("127.0.0.1", development_server, timeout=60)
        start.wait()
        client.request("GET", "/projects/", headers={"Accept-Language": "en"})
        response = client.getresponse()
        body = response.read()
        return client, response.status, response.getheader("Connection"), body

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(browse, range(CLIENTS)))
    try:
        assert [status for _c, status, _h, _b in results] == [200] * CLIENTS
        # The clients keep their sockets open, so the server keeps every thread alive.
        assert all(header != "close" for _c, _s, header, _b in results)
        left_open = _server_connections() - baseline
    finally:
        for client, *_rest in results:
            client.close()
    assert left_open <= SPARE_CONNECTIONS
