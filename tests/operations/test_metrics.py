"""Prometheus metrics at /metrics (issue 14 §2): the process's request figures and the market's
business figures, for the allow-listed addresses only."""

import datetime as dt

import pytest
from celery import shared_task
from django.test import override_settings
from django.utils import timezone

from marketplace.audit.checkpoints import create_checkpoint
from marketplace.operations.metrics import allowed
from marketplace.outbox.models import OutboxMessage
from tests.factories.bidding import agency_offering, bid, open_bids, published_project

pytestmark = pytest.mark.django_db


def scrape(client, address="127.0.0.1") -> dict[str, float]:
    response = client.get("/metrics", REMOTE_ADDR=address)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain")
    figures = {}
    for line in response.content.decode().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            figures[name] = float(value)
    return figures


@shared_task(name="tests.operations.always_fails")
def always_fails():
    raise ValueError("boom")


def test_an_address_outside_the_allow_list_gets_a_404(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="not an address").status_code == 404


@override_settings(METRICS_ALLOWED_NETWORKS=["10.0.0.0/8", "::1/128"])
def test_the_allow_list_takes_networks():
    assert allowed("10.20.30.40") and allowed("::1")
    assert not allowed("127.0.0.1") and not allowed("11.0.0.1")


def test_bids_and_openings_are_counted(client):
    project = published_project()
    for price in ("80000.00", "70000.00"):
        bid(project, agency_offering(), price)
    before = scrape(client)
    assert before["marketplace_bids_submitted_total"] == 2
    assert before["marketplace_projects_opened_total"] == 0

    open_bids(project)

    assert scrape(client)["marketplace_projects_opened_total"] == 1


def test_the_outbox_backlog_and_its_oldest_age(client):
    OutboxMessage.objects.create(task_name="x", created_at=timezone.now() - dt.timedelta(
        minutes=5))
    OutboxMessage.objects.create(task_name="y")
    OutboxMessage.objects.create(task_name="z", sent_at=timezone.now())

    figures = scrape(client)

    assert figures["marketplace_outbox_backlog"] == 2
    assert 295 <= figures["marketplace_outbox_oldest_age_seconds"] <= 400


def test_a_failed_task_is_counted_by_name(client):
    # As a worker runs it: the failure is recorded, not raised (eager mode re-raises first).
    assert always_fails.apply(throw=False).failed()

    figures = scrape(client)

    assert figures['marketplace_celery_task_failures_total{task="tests.operations.always_fails"}'] \
        == 1


def test_the_audit_checkpoint_age(client):
    assert scrape(client)["marketplace_audit_checkpoint_age_seconds"] == -1
    published_project()  # something to anchor
    create_checkpoint()

    assert 0 <= scrape(client)["marketplace_audit_checkpoint_age_seconds"] < 60


def test_request_figures_come_from_the_middleware(client):
    client.get("/healthz")

    figures = scrape(client)

    assert any(name.startswith("django_http_responses_total_by_status_total")
               for name in figures)
