"""`audit_verify` finds an edited or deleted entry and names it."""

import pytest
from django.core.management import CommandError, call_command

from marketplace.audit import services as audit
from marketplace.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    return [audit.record(action=f"test.step{i}", data={"amount": f"{i}000.00"})
            for i in range(1, 5)]


def test_editing_an_entrys_data_in_the_database_breaks_verification_at_that_entry(chain):
    AuditEntry.objects.filter(seq=2).update(data={"amount": "1.00"})

    with pytest.raises(CommandError, match=r"entry #2\b") as broken:
        call_command("audit_verify")

    assert "content does not match its hash" in str(broken.value)
    result = audit.verify_chain()
    assert (result.ok, result.broken_seq, result.checked) == (False, 2, 1)


@pytest.mark.parametrize("field,value", [
    ("action", "test.innocent"), ("actor_name", "someone"), ("object_repr", "other"),
])
def test_editing_any_field_is_detected(chain, field, value):
    AuditEntry.objects.filter(seq=3).update(**{field: value})

    assert audit.verify_chain().broken_seq == 3


def test_recomputing_the_edited_entrys_hash_breaks_the_next_link(chain):
    entry = AuditEntry.objects.get(seq=2)
    entry.data = {"amount": "1.00"}
    entry.hash = audit.compute_hash(entry)
    AuditEntry.objects.filter(pk=entry.pk).update(data=entry.data, hash=entry.hash)

    result = audit.verify_chain()

    assert (result.ok, result.broken_seq) == (False, 3)
    assert result.reason == "prev_hash does not match"


def test_deleting_an_entry_in_the_middle_is_detected(chain):
    AuditEntry.objects.filter(seq=2).delete()

    with pytest.raises(CommandError, match=r"missing entry #2\b"):
        call_command("audit_verify")


def test_deleting_the_first_entry_is_detected(chain):
    AuditEntry.objects.filter(seq=1).delete()

    assert audit.verify_chain().ok is False


def test_deleting_the_last_entry_is_detected_by_the_chain_head(chain):
    AuditEntry.objects.filter(seq=4).delete()

    with pytest.raises(CommandError, match=r"entry #4\b"):
        call_command("audit_verify")
    assert audit.verify_chain().reason == "chain head does not match the last entry"
