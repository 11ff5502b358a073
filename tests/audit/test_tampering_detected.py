"""`audit_verify` finds an edited, deleted, reordered or truncated entry and names it."""

import pytest
from django.core.management import CommandError, call_command

from marketplace.audit import services as audit
from marketplace.audit.checkpoints import create_checkpoint
from marketplace.audit.models import AuditEntry, StreamHead

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    return [audit.record(action=f"test.step{i}", data={"amount": f"{i}000.00"})
            for i in range(1, 5)]


def at(position: int) -> AuditEntry:
    return AuditEntry.objects.get(stream="market", stream_seq=position)


def test_editing_an_entrys_data_in_the_database_breaks_verification_at_that_entry(chain):
    AuditEntry.objects.filter(pk=chain[1].pk).update(data={"amount": "1.00"})

    with pytest.raises(CommandError, match=rf"entry #{chain[1].pk}\b") as broken:
        call_command("audit_verify")

    assert "content does not match its hash" in str(broken.value)
    result = audit.verify_chain()
    assert (result.ok, result.broken_entry, result.checked) == (False, chain[1].pk, 1)


@pytest.mark.parametrize("field,value", [
    ("action", "test.innocent"), ("actor_name", "someone"), ("object_repr", "other"),
])
def test_editing_any_field_is_detected(chain, field, value):
    AuditEntry.objects.filter(pk=chain[2].pk).update(**{field: value})

    assert audit.verify_chain().broken_entry == chain[2].pk


def test_recomputing_the_edited_entrys_hash_breaks_the_next_link(chain):
    entry = at(2)
    entry.data = {"amount": "1.00"}
    entry.hash = audit.compute_hash(entry)
    AuditEntry.objects.filter(pk=entry.pk).update(data=entry.data, hash=entry.hash)

    result = audit.verify_chain()

    assert (result.ok, result.broken_entry) == (False, chain[2].pk)
    assert result.reason == "prev_hash does not match"


def test_deleting_an_entry_in_the_middle_is_detected(chain):
    AuditEntry.objects.filter(pk=chain[1].pk).delete()

    with pytest.raises(CommandError, match=r"missing entry 2 of stream market"):
        call_command("audit_verify")


def test_deleting_the_first_entry_is_detected(chain):
    AuditEntry.objects.filter(pk=chain[0].pk).delete()

    assert audit.verify_chain().ok is False


def test_deleting_the_last_entry_is_detected_by_the_chain_head(chain):
    AuditEntry.objects.filter(pk=chain[3].pk).delete()

    with pytest.raises(CommandError, match=r"BROKEN at the log"):
        call_command("audit_verify")
    assert (audit.verify_chain().reason
            == "the head of stream market does not match its last entry")


def test_swapping_two_entries_places_is_detected(chain):
    second, third = at(2), at(3)
    AuditEntry.objects.filter(pk=second.pk).update(stream_seq=1000)
    AuditEntry.objects.filter(pk=third.pk).update(stream_seq=2)
    AuditEntry.objects.filter(pk=second.pk).update(stream_seq=3)

    result = audit.verify_chain()

    assert (result.ok, result.broken_entry) == (False, third.pk)


def test_truncating_a_stream_and_rewriting_its_head_is_caught_by_the_last_checkpoint(chain):
    create_checkpoint()
    AuditEntry.objects.filter(pk__in=[chain[2].pk, chain[3].pk]).delete()
    StreamHead.objects.filter(stream="market").update(seq=2, hash=chain[1].hash)
    assert audit.verify_streams().ok  # the streams alone look whole

    with pytest.raises(CommandError, match="entry 4 of stream market, anchored in checkpoint #1, "
                                           "is missing or changed"):
        call_command("audit_verify")
