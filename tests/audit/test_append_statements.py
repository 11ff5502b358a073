"""What one audit append writes, statement by statement (issue 14 §1, the bid path): every
write in the market appends an entry, so its statements are written out, not built by the
ORM. The entry stored is the one `record` returns, field by field, and the head follows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.audit import services as audit
from marketplace.audit.models import AuditEntry, StreamHead

pytestmark = pytest.mark.django_db


def test_the_entry_stored_is_the_entry_returned(agency, agency_admin):
    audit.record(action="organization.registered", actor=agency_admin, organization=agency)
    entry = audit.record(action="bid.submitted", actor=agency_admin, organization=agency,
                         obj=agency, data={"价格": "1000.00", "n": 3, "nested": {"a": [1, 2]}},
                         now=timezone.now(), sealed_project=42)

    stored = AuditEntry.objects.get(pk=entry.pk)
    fields = [f.attname for f in AuditEntry._meta.concrete_fields]
    assert {f: getattr(stored, f) for f in fields} == {f: getattr(entry, f) for f in fields}
    assert stored.hash == audit.compute_hash(stored)
    assert (stored.stream, stored.stream_seq) == (f"sealed:42:{agency.pk}", 1)
    assert stored.sealed_project_id == 42 and stored.actor_name == agency_admin.username
    assert not entry._state.adding  # a saved row: saving it again would update, not insert
    head = StreamHead.objects.get(stream=stored.stream)
    assert (head.seq, head.hash) == (1, stored.hash)
    assert audit.verify_chain().ok


def test_an_append_to_an_open_stream_is_two_statements_on_postgresql():
    """The head's row locked and read, then the entry inserted and the head moved: one
    statement on PostgreSQL (the UPDATE with the INSERT as its CTE). SQLite, with no row
    locks or round trips, reads the head, inserts, then updates: three."""
    audit.record(action="test.opened")
    with CaptureQueriesContext(connection) as queries:
        second = audit.record(action="test.appended", data={"k": "v"})
    statements = [q["sql"] for q in queries.captured_queries]
    assert "FOR UPDATE" in statements[0] or connection.vendor == "sqlite"
    expected = 2 if connection.vendor == "postgresql" else 3
    assert len(statements) == expected, statements
    head = StreamHead.objects.get(stream="market")
    assert (head.seq, head.hash) == (2, second.hash)
    assert AuditEntry.objects.get(pk=second.pk).prev_hash == AuditEntry.objects.get(
        stream="market", stream_seq=1).hash
