"""Recording and verifying the audit chain."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from marketplace.audit.models import GENESIS_HASH, AuditEntry, ChainHead


def _normalize(data: dict | None) -> dict:
    # What is stored must hash the same after a round trip through the JSON column.
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def canonical_json(entry: AuditEntry) -> str:
    payload = {
        "seq": entry.seq,
        # In UTC: the database hands the time back in UTC whatever zone it was recorded in.
        "created_at": entry.created_at.astimezone(dt.UTC).isoformat(),
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "organization": entry.organization_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "data": entry.data,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256((canonical_json(entry) + entry.prev_hash).encode("utf-8")).hexdigest()


def record(
    *,
    action: str,
    actor=None,
    organization=None,
    obj=None,
    data: dict | None = None,
    now=None,
    sealed_project=None,
) -> AuditEntry:
    """Append an entry inside the caller's transaction.

    Call it last in a service: it locks the chain head, and the lock is held until the caller's
    transaction commits, so the critical section is the tail of the transaction only.

    `sealed_project` (a project or its id): the entry is about a sealed bid of that project and
    nobody reads it before the project's opening (`audit.selectors.visible_entries`).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the service's transaction")
    if organization is None and actor is not None:
        membership = getattr(actor, "membership", None) if actor.is_authenticated else None
        organization = membership.organization if membership else None
    head, _created = ChainHead.objects.select_for_update().get_or_create(pk=1)
    entry = AuditEntry(
        seq=head.seq + 1,
        created_at=now or timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=(actor.get_username() if actor is not None and actor.is_authenticated else ""),
        organization=organization,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        data=_normalize(data),
        prev_hash=head.hash,
        sealed_project_id=getattr(sealed_project, "pk", sealed_project),
    )
    entry.hash = compute_hash(entry)
    entry.save()
    ChainHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)
    return entry


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain(*, batch_size: int = 2000) -> VerifyResult:
    """Walk the chain in order; report the first entry whose link or hash does not hold."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return VerifyResult(False, checked, entry.seq, f"missing entry #{expected_seq}")
        if entry.prev_hash != expected_prev:
            return VerifyResult(False, checked, entry.seq, "prev_hash does not match")
        if compute_hash(entry) != entry.hash:
            return VerifyResult(False, checked, entry.seq, "content does not match its hash")
        expected_prev = entry.hash
        expected_seq += 1
        checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and checked and head.hash != expected_prev:
        return VerifyResult(False, checked, head.seq, "chain head does not match the last entry")
    return VerifyResult(True, checked)
