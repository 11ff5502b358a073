"""Concurrent services append to one chain without forking it (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, transaction

from marketplace.audit import services as audit
from marketplace.audit.models import AuditEntry

WRITERS = 8


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_produce_one_valid_chain():
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait(timeout=10)
            with transaction.atomic():
                audit.record(action="test.concurrent", data={"writer": n})
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, WRITERS + 1))
    assert sorted(e.data["writer"] for e in entries) == list(range(WRITERS))
    assert len({e.prev_hash for e in entries}) == WRITERS
    result = audit.verify_chain()
    assert result.ok, result
    assert result.checked == WRITERS


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_after_the_chain_exists():
    with transaction.atomic():
        audit.record(action="test.genesis")
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait(timeout=10)
            for i in range(3):
                with transaction.atomic():
                    audit.record(action="test.concurrent", data={"writer": n, "i": i})
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert AuditEntry.objects.count() == 1 + 3 * WRITERS
    assert AuditEntry.objects.values("prev_hash").distinct().count() == 1 + 3 * WRITERS
    assert audit.verify_chain().ok
