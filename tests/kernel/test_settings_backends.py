"""The settings an environment produces (marketplace.settings_backends), issue #13."""

from pathlib import Path

from marketplace.settings_backends import (
    SQLITE_OPTIONS,
    broker_transport_options,
    conn_max_age,
    database_settings,
)

RUNSERVER = ["manage.py", "runserver", "127.0.0.1:8000"]
GUNICORN = ["/venv/bin/gunicorn", "marketplace.wsgi", "-w", "4"]


def build(argv=GUNICORN, **environ):
    return database_settings(environ, argv, default_sqlite_path="/srv/var/db.sqlite3")


def test_a_sqlite_url_gets_the_same_tuning_as_the_default_sqlite_database():
    default = build()
    from_url = build(DATABASE_URL="sqlite:///x.db")

    assert default["NAME"] == "/srv/var/db.sqlite3"
    assert from_url["NAME"] == "x.db"
    assert from_url["OPTIONS"] == default["OPTIONS"] == SQLITE_OPTIONS
    assert "PRAGMA journal_mode=WAL" in from_url["OPTIONS"]["init_command"]
    assert "PRAGMA busy_timeout=10000" in from_url["OPTIONS"]["init_command"]
    assert from_url["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert {k: v for k, v in from_url.items() if k != "NAME"} == \
        {k: v for k, v in default.items() if k != "NAME"}


def test_an_absolute_sqlite_url_and_sqlite_path_are_both_tuned():
    assert build(DATABASE_URL="sqlite:////srv/market.db")["NAME"] == "/srv/market.db"
    assert build(SQLITE_PATH="/tmp/m.db")["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_the_connection_age_comes_from_the_environment_and_defaults_to_zero():
    url = "postgres://market@db:5432/market"
    assert build(DATABASE_URL=url)["CONN_MAX_AGE"] == 0
    assert build(DATABASE_URL=url, DATABASE_CONN_MAX_AGE="60")["CONN_MAX_AGE"] == 60


def test_runserver_never_keeps_connections_whatever_the_environment_says():
    url = "postgres://market@db:5432/market"
    assert build(RUNSERVER, DATABASE_URL=url, DATABASE_CONN_MAX_AGE="60")["CONN_MAX_AGE"] == 0
    assert conn_max_age({"DATABASE_CONN_MAX_AGE": "60"}, RUNSERVER) == 0
    assert conn_max_age({"DATABASE_CONN_MAX_AGE": "60"}, ["manage.py", "migrate"]) == 60


def test_the_postgresql_test_database_is_named_by_the_environment():
    url = "postgres://market@db:5432/market"
    assert build(DATABASE_URL=url)["TEST"]["NAME"] == "test_marketplace"
    assert build(DATABASE_URL=url, POSTGRES_TEST_DB_NAME="test_mine")["TEST"]["NAME"] == \
        "test_mine"


def test_every_network_broker_has_short_timeouts():
    redis = broker_transport_options("redis://redis:6379/0", Path("/srv/var"))
    assert redis["socket_connect_timeout"] <= 2 and redis["socket_timeout"] <= 5
    assert redis["max_retries"] == 0 and redis["retry_on_timeout"] is False
    assert broker_transport_options("amqp://guest@mq//", Path("/srv/var"))["write_timeout"] <= 5
    assert broker_transport_options("filesystem://", Path("/srv/var"))["data_folder_in"] == \
        "/srv/var/broker/out"


def test_the_broker_handshake_and_publishing_are_bounded(settings):
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 2
    assert settings.CELERY_TASK_PUBLISH_RETRY_POLICY["max_retries"] <= 1
