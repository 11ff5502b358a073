"""Concurrent services append to their streams without forking them (PostgreSQL row locks)."""

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
    entries = list(AuditEntry.objects.order_by("stream_seq"))
    assert [e.stream_seq for e in entries] == list(range(1, WRITERS + 1))
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


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_entries_of_new_streams_each_start_their_own_chain():
    """Eight writers each open a new stream (the head row is created under a savepoint) while
    eight others write to one shared new stream: no error, no fork."""
    from tests.factories.accounts import AgencyFactory

    agencies = [AgencyFactory() for _ in range(WRITERS)]
    start = threading.Barrier(2 * WRITERS)
    errors: list[BaseException] = []

    def writer(organization) -> None:
        try:
            start.wait(timeout=10)
            with transaction.atomic():
                audit.record(action="test.concurrent", organization=organization)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(a,)) for a in agencies]
    threads += [threading.Thread(target=writer, args=(agencies[0],)) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    result = audit.verify_chain()
    assert (result.ok, result.streams, result.checked) == (True, WRITERS, 2 * WRITERS)
    first = AuditEntry.objects.filter(stream=f"organization:{agencies[0].pk}")
    assert sorted(first.values_list("stream_seq", flat=True)) == list(range(1, WRITERS + 2))
