"""The DATABASES entry and the broker's connection options, built from the environment.

Plain functions of (environment, command line), so the tests can build the settings a given
environment produces without reloading `marketplace.settings` (tests/kernel/test_settings_*).
"""

from collections.abc import Mapping, Sequence

import dj_database_url

# WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so two
# writers queue (for up to `timeout` seconds) instead of failing on a lock upgrade with
# "database is locked"; foreign keys on, as PostgreSQL has them.
SQLITE_INIT_COMMAND = (
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
)
SQLITE_OPTIONS = {"init_command": SQLITE_INIT_COMMAND, "transaction_mode": "IMMEDIATE",
                  "timeout": 20}

# Commands that serve HTTP with a thread per connection: Django's development server (and the
# staticfiles/daphne variants of it, all named runserver).
DEVELOPMENT_SERVER_COMMANDS = {"runserver", "runserver_plus", "testserver"}


def sqlite_database(name: str) -> dict:
    """The one SQLite entry, whether it came from SQLITE_PATH or a `sqlite:///` DATABASE_URL."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        # SQLite has no connection to keep: opening a file costs nothing.
        "CONN_MAX_AGE": 0,
        "OPTIONS": {**SQLITE_OPTIONS},
    }


def runs_development_server(argv: Sequence[str]) -> bool:
    """True under `manage.py runserver` (any of DEVELOPMENT_SERVER_COMMANDS as the command)."""
    return len(argv) > 1 and argv[1] in DEVELOPMENT_SERVER_COMMANDS


def conn_max_age(environ: Mapping[str, str], argv: Sequence[str]) -> int:
    """Seconds a database connection outlives its request (DATABASE_CONN_MAX_AGE, default 0).

    Always 0 under the development server: it serves every client connection in its own
    thread, a thread lives as long as the browser keeps the socket alive, and each would hold
    its own PostgreSQL connection ("too many clients" after a short burst). Persistent
    connections pay off only with a fixed pool of workers (gunicorn, README "Production").
    """
    if runs_development_server(argv):
        return 0
    return max(int(environ.get("DATABASE_CONN_MAX_AGE") or 0), 0)


def database_settings(environ: Mapping[str, str], argv: Sequence[str], *,
                      default_sqlite_path: str) -> dict:
    """The `default` DATABASES entry: DATABASE_URL if set, else SQLite at SQLITE_PATH."""
    url = environ.get("DATABASE_URL", "")
    if not url:
        return sqlite_database(environ.get("SQLITE_PATH") or default_sqlite_path)
    database = dj_database_url.parse(url, conn_max_age=conn_max_age(environ, argv))
    if database["ENGINE"].endswith("sqlite3"):
        return sqlite_database(database["NAME"])
    if database["ENGINE"].endswith("postgresql"):
        # The PostgreSQL half of `make test` (each parallel session names its own).
        database.setdefault("TEST", {})["NAME"] = environ.get("POSTGRES_TEST_DB_NAME",
                                                              "test_marketplace")
    return database


# --- Broker -----------------------------------------------------------------------------------
# A broker that accepts the connection and then never answers must not hold anybody for long:
# the outbox sends after the request (marketplace.outbox.dispatch), and these bound how long
# its sender, beat and the worker wait on one attempt. A message that is not sent stays in the
# outbox for the next flush.
BROKER_CONNECT_TIMEOUT = 2  # seconds: TCP connect and, for AMQP, the protocol handshake
BROKER_SOCKET_TIMEOUT = 5  # seconds: one Redis command (longer than the worker's 1 s BRPOP)


def broker_transport_options(url: str, var_dir) -> dict:
    if url.startswith("filesystem://"):
        broker_dir = var_dir / "broker"
        return {
            "data_folder_in": str(broker_dir / "out"),
            "data_folder_out": str(broker_dir / "out"),
            "processed_folder": str(broker_dir / "processed"),
            "control_folder": str(broker_dir / "control"),
            "store_processed": False,
        }
    if url.startswith(("redis://", "rediss://")):
        return {
            "socket_connect_timeout": BROKER_CONNECT_TIMEOUT,
            "socket_timeout": BROKER_SOCKET_TIMEOUT,
            # kombu's and redis-py's own retries would multiply the timeouts above.
            "max_retries": 0, "retry_on_timeout": False,
        }
    if url.startswith(("amqp://", "amqps://", "pyamqp://")):
        # Passed to amqp.Connection; the handshake is bounded by broker_connection_timeout.
        return {"write_timeout": BROKER_SOCKET_TIMEOUT}
    return {}
