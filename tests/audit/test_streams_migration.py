"""The single chain written before streams becomes the stream "market" and still verifies."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from marketplace.audit import services as audit
from marketplace.audit.models import GENESIS_HASH, AuditEntry

BEFORE = [("audit", "0002_auditentry_sealed_project")]


@pytest.mark.django_db(transaction=True)
def test_the_old_chain_becomes_the_market_stream_and_new_entries_continue_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Entry, Head = old.get_model("audit", "AuditEntry"), old.get_model("audit", "ChainHead")
    previous = GENESIS_HASH
    for seq in (1, 2, 3):
        entry = Entry(seq=seq, created_at=dt.datetime(2026, 11, seq, tzinfo=dt.UTC),
                      action=f"old.step{seq}", data={"n": seq}, prev_hash=previous)
        entry.hash = audit.compute_hash(entry)  # the formula of old: over the global seq
        entry.save()
        previous = entry.hash
    Head.objects.create(pk=1, seq=3, hash=previous)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert audit.verify_chain().ok
    with transaction.atomic():
        new = audit.record(action="test.after_streams")
    assert (new.stream, new.stream_seq, new.prev_hash, new.seq) == ("market", 4, previous, None)
    assert list(AuditEntry.objects.order_by("stream_seq").values_list("seq", flat=True)) == [
        1, 2, 3, None]
    assert audit.verify_chain().ok
