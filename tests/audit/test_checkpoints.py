"""Signed, chained, public checkpoints over every stream's head (issue 14 §1)."""

import base64
from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import call_command
from django.db import transaction
from rest_framework.test import APIClient

from marketplace.audit import services as audit
from marketplace.audit.checkpoints import create_checkpoint, merkle_root
from marketplace.audit.models import GENESIS_HASH, AuditCheckpoint, StreamHead

pytestmark = pytest.mark.django_db


def _record(action, **kwargs):
    with transaction.atomic():
        return audit.record(action=action, **kwargs)


def test_a_checkpoint_anchors_every_head_in_one_signed_root(agency):
    _record("test.market")
    _record("organization.updated", organization=agency)

    checkpoint = create_checkpoint()

    heads = {h.stream: (h.seq, h.hash) for h in StreamHead.objects.all()}
    assert checkpoint.root == merkle_root(heads)
    assert (checkpoint.streams, checkpoint.entries, checkpoint.previous) == (2, 2, GENESIS_HASH)
    public = base64.b64decode(APIClient().get("/api/v1/audit/checkpoints/key/")
                              .json()["public_key"])
    Ed25519PublicKey.from_public_bytes(public).verify(base64.b64decode(checkpoint.signature),
                                                      checkpoint.hash.encode())


def test_checkpoints_chain_and_only_moved_heads_are_listed(agency):
    _record("test.market")
    _record("organization.updated", organization=agency)
    first = create_checkpoint()
    assert create_checkpoint() is None  # nothing moved
    _record("test.market.again")

    second = create_checkpoint()

    assert second.previous == first.hash
    assert list(second.changed_heads) == ["market"]
    assert second.streams == 2 and second.entries == 3
    assert audit.verify_chain().checkpoints == 2


def test_a_rewritten_checkpoint_fails_its_signature():
    _record("test.market")
    checkpoint = create_checkpoint()
    AuditCheckpoint.objects.filter(pk=checkpoint.pk).update(root="0" * 64)

    result = audit.verify_chain()

    assert (result.ok, result.reason) == (False, "checkpoint #1 is not the one the platform "
                                                 "signed")


def test_a_deleted_checkpoint_breaks_the_chain_of_checkpoints():
    for n in range(3):
        _record(f"test.step{n}")
        create_checkpoint()
    AuditCheckpoint.objects.filter(pk=2).delete()

    assert audit.verify_chain().reason == "checkpoint #3 does not follow the previous checkpoint"


def test_anyone_reads_the_checkpoints_newest_first_and_the_page_shows_them(client):
    _record("test.market")
    create_checkpoint()
    _record("test.market.again")
    latest = create_checkpoint()

    listing = APIClient().get("/api/v1/audit/checkpoints/").json()
    page = client.get("/audit/checkpoints/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert [c["id"] for c in listing["results"]] == [2, 1]
    assert set(listing["results"][0]) >= {"id", "root", "created_at", "previous"}
    assert listing["results"][0]["previous"] == listing["results"][1]["hash"]
    assert latest.root in page and "Ed25519" in page


def test_the_published_checkpoint_never_lists_the_heads_of_sealed_bids():
    _record("bid.submitted", sealed_project=41)
    create_checkpoint()

    body = APIClient().get("/api/v1/audit/checkpoints/").content.decode()

    assert "sealed" not in body and "changed_heads" not in body


def test_the_command_writes_one_and_says_when_nothing_moved():
    _record("test.market")
    out = StringIO()

    call_command("audit_checkpoint", stdout=out)
    call_command("audit_checkpoint", stdout=out)

    assert "Checkpoint #1" in out.getvalue()
    assert "nothing written" in out.getvalue()
