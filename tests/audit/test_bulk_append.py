"""`audit.record_many` (a mass operation's entries) appends exactly what `record` would, one
entry after another: each stream's chain continues, heads move, and `audit_verify` holds."""

import pytest

from marketplace.audit import services as audit
from marketplace.audit.models import AuditEntry, StreamHead
from tests.factories.accounts import AgencyFactory

pytestmark = pytest.mark.django_db


def test_a_bulk_append_continues_each_stream_like_single_records():
    a, b, c = AgencyFactory(), AgencyFactory(), AgencyFactory()
    first = audit.record(action="test.before", organization=a)
    bulk = audit.record_many([audit.Record(action="test.bulk", organization=o, data={"n": n})
                              for n, o in enumerate([a, b, a, c])])
    last = audit.record(action="test.after", organization=b)

    def chain(organization):
        return list(AuditEntry.objects.filter(stream=f"organization:{organization.pk}")
                    .order_by("stream_seq").values_list("action", "stream_seq", "prev_hash",
                                                        "hash"))

    assert [row[:2] for row in chain(a)] == [("test.before", 1), ("test.bulk", 2),
                                             ("test.bulk", 3)]
    assert chain(a)[1][2] == first.hash and chain(a)[2][2] == bulk[0].hash == chain(a)[1][3]
    assert [row[:2] for row in chain(b)] == [("test.bulk", 1), ("test.after", 2)]
    assert last.prev_hash == bulk[1].hash
    assert [row[:2] for row in chain(c)] == [("test.bulk", 1)]
    assert StreamHead.objects.get(stream=f"organization:{a.pk}").hash == bulk[2].hash
    assert all(audit.compute_hash(entry) == entry.hash for entry in bulk)
    assert audit.verify_streams().ok


def test_a_changed_bulk_entry_is_detected():
    organization = AgencyFactory()
    entries = audit.record_many([audit.Record(action="test.bulk", organization=organization,
                                              data={"n": n}) for n in range(3)])
    AuditEntry.objects.filter(pk=entries[1].pk).update(data={"n": 7})
    result = audit.verify_streams()
    assert not result.ok and result.broken_entry == entries[1].pk

