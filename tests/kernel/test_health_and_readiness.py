"""Operators' probes (API.md `GET healthz` / `GET readyz`, issue 14 §2): alive while the process
serves; ready only when the database, the media storage, the broker, the search backend and the
migrations are, each named in the JSON with its reason when it is not."""

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from marketplace.health import pending_migrations

pytestmark = pytest.mark.django_db


def test_healthz_says_alive_and_takes_no_writes(client):
    alive = client.get("/healthz")

    assert (alive.status_code, alive.json()) == (200, {"status": "alive"})
    assert "no-cache" in alive["Cache-Control"]
    assert client.post("/healthz").status_code == 405


def test_readyz_names_every_dependency_and_is_ready_here(client):
    ready = client.get("/readyz")

    assert ready.status_code == 200, ready.content
    assert ready.json() == {"status": "ready", "checks": {
        "database": "ok", "media_storage": "ok", "broker": "ok", "search": "ok",
        "migrations": "ok"}}
    assert client.post("/readyz").status_code == 405


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0", CELERY_BROKER_TRANSPORT_OPTIONS={
    "socket_connect_timeout": 1, "socket_timeout": 1})
def test_readyz_fails_with_the_reason_when_the_broker_is_down(client):
    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["broker"].startswith("Unavailable: broker unreachable")
    assert body["checks"]["database"] == "ok"
    assert "127.0.0.1:1" not in response.content.decode()  # no address or credential leaks


@override_settings(ELASTICSEARCH_URL="http://127.0.0.1:1")
def test_readyz_fails_when_the_configured_elasticsearch_does_not_answer(client):
    from marketplace.search.backends import reset_backend

    reset_backend()
    try:
        body = client.get("/readyz").json()
    finally:
        reset_backend()

    assert body["checks"]["search"] == ("Unavailable: Elasticsearch unreachable (searches fall "
                                        "back to the database)")


def test_a_migration_not_applied_is_named():
    assert pending_migrations() == []
    MigrationRecorder.Migration.objects.filter(
        app="audit", name="0003_streams_and_checkpoints").delete()

    assert pending_migrations() == ["audit.0003_streams_and_checkpoints"]
