"""`record` belongs to a service's transaction: outside one it refuses to write."""

import pytest
from django.db import transaction

from marketplace.audit import services as audit
from marketplace.audit.models import AuditEntry


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_raises():
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        audit.record(action="test.loose")

    assert not AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_entry_rolls_back_with_its_transaction():
    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        audit.record(action="test.rolled_back")
        raise Refused

    with transaction.atomic():
        entry = audit.record(action="test.kept")

    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["test.kept"]
    assert (entry.stream, entry.stream_seq, entry.seq) == ("market", 1, None)
    assert audit.verify_chain().ok
