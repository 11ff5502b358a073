"""Audit entries form one hash chain per stream (DESIGN §4 "Audit")."""

import datetime as dt
import hashlib
import zoneinfo
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from marketplace.audit import services as audit
from marketplace.audit.models import GENESIS_HASH, AuditEntry, StreamHead

pytestmark = pytest.mark.django_db


def record_three(actor=None, organization=None):
    return [
        audit.record(action="organization.registered", actor=actor, organization=organization,
                     obj=organization, data={"uscc": getattr(organization, "uscc", "")}),
        audit.record(action="project.published", data={"budget_cap": "12500.00", "n": 3}),
        audit.record(action="bid.submitted", data={"receipt": "ab" * 32, "价格": "1000.00"}),
    ]


def test_each_entry_links_to_the_previous_one_of_its_stream():
    entries = [audit.record(action=f"test.step{i}") for i in range(3)]

    stored = list(AuditEntry.objects.order_by("id"))
    assert [(e.stream, e.stream_seq) for e in stored] == [("market", 1), ("market", 2),
                                                          ("market", 3)]
    assert stored[0].prev_hash == GENESIS_HASH == "0" * 64
    assert stored[1].prev_hash == stored[0].hash
    assert stored[2].prev_hash == stored[1].hash
    assert [e.hash for e in stored] == [e.hash for e in entries]
    head = StreamHead.objects.get(stream="market")
    assert (head.seq, head.hash) == (3, stored[2].hash)


def test_an_organizations_entries_form_a_stream_of_their_own(agency, agency_admin):
    first, market, second = record_three(agency_admin, agency)
    third = audit.record(action="organization.updated", actor=agency_admin)

    assert (first.stream, first.stream_seq) == (f"organization:{agency.pk}", 1)
    assert (third.stream, third.stream_seq, third.prev_hash) == (first.stream, 2, first.hash)
    assert first.prev_hash == audit.genesis_hash(first.stream) != GENESIS_HASH
    assert (market.stream, second.stream) == ("market", "market")
    assert audit.verify_chain().streams == 2


def test_the_hash_is_sha256_of_the_canonical_json_and_the_previous_hash():
    entry = audit.record(action="test.hashed", data={"b": 2, "a": 1})

    stored = AuditEntry.objects.get(pk=entry.pk)
    expected = hashlib.sha256(
        (audit.canonical_json(stored) + stored.prev_hash).encode("utf-8")).hexdigest()
    assert stored.hash == expected
    assert '"data":{"a":1,"b":2}' in audit.canonical_json(stored)


def test_the_entry_names_its_actor_organization_and_object(agency, agency_admin):
    entry = audit.record(action="organization.updated", actor=agency_admin, obj=agency,
                         data={"when": dt.date(2026, 10, 8)})

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == agency_admin
    assert stored.actor_name == agency_admin.username
    assert stored.organization == agency  # taken from the actor's membership
    assert (stored.object_type, stored.object_id) == ("accounts.organization", str(agency.pk))
    assert stored.object_repr == agency.name
    assert stored.data == {"when": "2026-10-08"}


def test_audit_verify_prints_ok(agency, agency_admin):
    record_three(agency_admin, agency)
    out = StringIO()

    call_command("audit_verify", stdout=out)

    assert "OK" in out.getvalue()
    assert "3 entries" in out.getvalue()


def test_an_empty_log_verifies():
    out = StringIO()

    call_command("audit_verify", stdout=out)

    assert out.getvalue().startswith("OK")


def test_an_entry_recorded_in_local_time_still_verifies():
    # The database returns times in UTC; the hash must not depend on the zone recorded in.
    chongqing = dt.datetime(2026, 10, 8, 9, 0, 0, 123456,
                            tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))

    audit.record(action="test.local_time", now=chongqing)
    audit.record(action="test.after")

    assert audit.verify_chain().ok


def test_two_entries_cannot_claim_the_same_predecessor():
    first = audit.record(action="test.first")
    fork = AuditEntry(stream="market", stream_seq=99, created_at=first.created_at,
                      action="test.fork", prev_hash=first.prev_hash, hash="f" * 64)

    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()


def test_two_entries_cannot_take_the_same_place_in_a_stream():
    first = audit.record(action="test.first")
    fork = AuditEntry(stream="market", stream_seq=first.stream_seq, created_at=first.created_at,
                      action="test.fork", prev_hash="e" * 64, hash="f" * 64)

    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save()
