"""Sealed-bid entries: one stream per project and organization, so that agencies bidding on
one project never wait for each other's audit append (issue 14 §1, the bid path)."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from bidding import services
from marketplace.audit import services as audit
from marketplace.audit.models import AuditEntry
from tests.factories.bidding import agency_offering, bid, published_project, user_of


@pytest.mark.django_db
def test_each_agency_chains_its_sealed_bid_entries_per_project():
    now = timezone.now()
    project = published_project(now=now, bid_deadline=now + dt.timedelta(days=5))
    first, second = agency_offering(), agency_offering()
    offer = bid(project, first, now=now)
    bid(project, second, now=now)
    services.bid_withdraw(bid=offer, by=user_of(first), now=now + dt.timedelta(minutes=1))

    sealed = list(AuditEntry.objects.filter(sealed_project_id=project.pk).order_by("id"))
    assert [(e.action, e.stream, e.stream_seq) for e in sealed] == [
        ("bid.submitted", f"sealed:{project.pk}:{first.pk}", 1),
        ("bid.submitted", f"sealed:{project.pk}:{second.pk}", 1),
        ("bid.withdrawn", f"sealed:{project.pk}:{first.pk}", 2),
    ]
    assert sealed[2].prev_hash == sealed[0].hash
    assert audit.verify_chain().ok


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_bid_does_not_wait_for_another_agencys_bid_still_committing():
    now = timezone.now()
    project = published_project(now=now, bid_deadline=now + dt.timedelta(days=5))
    slow, quick = agency_offering(), agency_offering()
    bid(project, agency_offering(), now=now)  # the project's seal key exists
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow_bidder() -> None:
        try:
            with transaction.atomic():
                bid(project, slow, now=now)  # its audit head stays locked until commit
                holding.set()
                release.wait(timeout=30)
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_bidder)
    thread.start()
    assert holding.wait(timeout=30)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # a wait on the other head fails here
        bid(project, quick, now=now)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
        release.set()
        thread.join(timeout=30)
    assert errors == []
    submitted = AuditEntry.objects.filter(sealed_project_id=project.pk, action="bid.submitted")
    assert submitted.count() == 3
    assert audit.verify_chain().ok
