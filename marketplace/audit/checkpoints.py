"""Signed checkpoints: one public root over every stream's head (DESIGN §4 "Audit").

Every few minutes the beat anchors all stream heads in a Merkle root, chains it to the previous
checkpoint and signs it with the platform's Ed25519 key. Checkpoints are public (API and page)
with the public key: whoever keeps one can later check that the platform still publishes it,
unchanged, in an unbroken chain, and `audit_verify` checks that every anchored head is still in
the log, so a rewrite or truncation after a checkpoint cannot pass unseen.
"""

import base64
import datetime as dt
import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from marketplace.audit.models import (
    GENESIS_HASH,
    AnchoredHead,
    AuditCheckpoint,
    AuditEntry,
    StreamHead,
)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def merkle_root(heads: dict[str, tuple[int, str]]) -> str:
    """The root over `{stream: (seq, hash)}`: leaves in stream order, pairs hashed upwards, an
    odd node carried up unchanged. Prefixes keep a leaf from passing for a node."""
    level = [_sha(f"leaf:{stream}:{seq}:{digest}")
             for stream, (seq, digest) in sorted(heads.items())]
    if not level:
        return _sha("empty")
    while len(level) > 1:
        level = [_sha(f"node:{level[i]}{level[i + 1]}") if i + 1 < len(level) else level[i]
                 for i in range(0, len(level), 2)]
    return level[0]


# --- The signing key ---------------------------------------------------------------------------

def _private_key() -> Ed25519PrivateKey:
    """`AUDIT_SIGNING_KEY` (base64 of a 32-byte Ed25519 seed); in development and tests a key
    derived from SECRET_KEY (a deploy check warns when production runs on it)."""
    configured = getattr(settings, "AUDIT_SIGNING_KEY", "")
    if configured:
        seed = base64.b64decode(configured)
    else:
        seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                    info=b"marketplace audit checkpoint signing").derive(
                        settings.SECRET_KEY.encode())
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_bytes() -> bytes:
    return _private_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_key_b64() -> str:
    return base64.b64encode(public_key_bytes()).decode()


def key_id(public: bytes | None = None) -> str:
    return hashlib.sha256(public or public_key_bytes()).hexdigest()[:16]


def checkpoint_hash(*, number: int, created_at: dt.datetime, root: str, previous: str,
                    streams: int, entries: int) -> str:
    payload = {"number": number, "created_at": created_at.astimezone(dt.UTC).isoformat(),
               "root": root, "previous": previous, "streams": streams, "entries": entries}
    return _sha(json.dumps(payload, sort_keys=True, separators=(",", ":")))


def signature_valid(checkpoint: AuditCheckpoint, public: bytes | None = None) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public or public_key_bytes()).verify(
            base64.b64decode(checkpoint.signature), checkpoint.hash.encode())
    except (InvalidSignature, ValueError):
        return False
    return True


# --- Writing a checkpoint ----------------------------------------------------------------------

def create_checkpoint(*, now: dt.datetime | None = None, force: bool = False
                      ) -> AuditCheckpoint | None:
    """Anchor every head in a new signed checkpoint; None when no head moved since the last one
    (unless `force`). Two concurrent runs cannot both succeed: `previous` is unique."""
    with transaction.atomic():
        last = AuditCheckpoint.objects.order_by("-id").first()
        # One statement, one snapshot of every committed head; the anchors are the job's own.
        heads = {stream: (seq, digest) for stream, seq, digest in
                 StreamHead.objects.values_list("stream", "seq", "hash")}
        anchored = dict(AnchoredHead.objects.values_list("stream", "seq"))
        moved = {stream: [seq, digest] for stream, (seq, digest) in heads.items()
                 if anchored.get(stream) != seq}
        if not moved and last is not None and not force:
            return None
        created_at = now or timezone.now()
        number = (last.pk if last else 0) + 1
        root = merkle_root(heads)
        previous = last.hash if last else GENESIS_HASH
        entries = sum(seq for seq, _digest in heads.values())
        digest = checkpoint_hash(number=number, created_at=created_at, root=root,
                                 previous=previous, streams=len(heads), entries=entries)
        checkpoint = AuditCheckpoint.objects.create(
            id=number, created_at=created_at, root=root, previous=previous, hash=digest,
            streams=len(heads), entries=entries, key_id=key_id(), changed_heads=moved,
            signature=base64.b64encode(_private_key().sign(digest.encode())).decode())
        AnchoredHead.objects.bulk_create(
            [AnchoredHead(stream=stream, seq=seq) for stream, (seq, _digest) in moved.items()],
            update_conflicts=True, unique_fields=["stream"], update_fields=["seq"])
    return checkpoint


# --- Verifying them ----------------------------------------------------------------------------

def verify_checkpoints() -> tuple[tuple[int | None, str] | None, int]:
    """((entry or None, reason) of the first problem, or None; checkpoints checked)."""
    heads: dict[str, tuple[int, str]] = {}
    previous = GENESIS_HASH
    count = 0
    for checkpoint in AuditCheckpoint.objects.order_by("id").iterator():
        count += 1
        label = f"checkpoint #{checkpoint.pk}"
        if checkpoint.previous != previous:
            return (None, f"{label} does not follow the previous checkpoint"), count
        expected = checkpoint_hash(number=checkpoint.pk, created_at=checkpoint.created_at,
                                   root=checkpoint.root, previous=checkpoint.previous,
                                   streams=checkpoint.streams, entries=checkpoint.entries)
        if expected != checkpoint.hash or not signature_valid(checkpoint):
            return (None, f"{label} is not the one the platform signed"), count
        for stream, (seq, digest) in checkpoint.changed_heads.items():
            anchored = AuditEntry.objects.filter(stream=stream, stream_seq=seq).first()
            if anchored is None or anchored.hash != digest:
                return ((anchored.pk if anchored else None),
                        f"entry {seq} of stream {stream}, anchored in {label}, "
                        f"is missing or changed"), count
            heads[stream] = (seq, digest)
        if merkle_root(heads) != checkpoint.root or len(heads) != checkpoint.streams:
            return (None, f"{label}: the anchored heads do not give its root"), count
        previous = checkpoint.hash
    return None, count
