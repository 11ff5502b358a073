"""Recording and verifying the audit chains (DESIGN §4 "Audit").

One chain per stream: a project's public life, its sealed bids (a stream of their own, so the
project's stream has no gaps that would betray hidden entries), a contract, an organization,
and the market for the rest. Appending locks the stream's head row only, so two agencies
bidding on different projects, or a regulator and an owner, no longer wait for each other.
Checkpoints (`audit.checkpoints`) anchor all heads in one signed, public root.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from marketplace import hooks
from marketplace.audit.models import GENESIS_HASH, AuditEntry, StreamHead

MARKET = "market"
# Contributors called with (entry, obj) inside the caller's transaction, after each entry: the
# apps above that keep a record of their own for some changes (ratings: the OCDS releases). A
# contributor may carry `many(entries, objs)`, which `record_many` calls instead of calling the
# contributor once per entry (the same records, read and written in bulk).
AUDIT_RECORDED = "audit.recorded"
hooks.declare(AUDIT_RECORDED, required_by="ratings")


def _normalize(data: dict | None) -> dict:
    # What is stored must hash the same after a round trip through the JSON column.
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def genesis_hash(stream: str) -> str:
    """The `prev_hash` of a stream's first entry: distinct per stream, so that `prev_hash` stays
    unique across the whole log. The market stream continues the global chain of old."""
    if stream == MARKET:
        return GENESIS_HASH
    return hashlib.sha256(f"genesis:{stream}".encode()).hexdigest()


def canonical_json(entry: AuditEntry) -> str:
    payload = {
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
    if entry.seq is not None:  # written before streams: hashed over its global position
        payload["seq"] = entry.seq
    else:
        payload["stream"] = entry.stream
        payload["stream_seq"] = entry.stream_seq
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256((canonical_json(entry) + entry.prev_hash).encode("utf-8")).hexdigest()


def stream_of(*, obj=None, organization=None, sealed_project=None) -> str:
    """The stream an entry belongs to, from what the caller already passes to `record`."""
    if sealed_project is not None:
        # One stream per project and organization: two agencies bidding on one project append
        # side by side, neither waiting on the other's head lock (issue 14, the bid path).
        project_id = getattr(sealed_project, "pk", sealed_project)
        if organization is not None:
            return f"sealed:{project_id}:{organization.pk}"
        return f"sealed:{project_id}"
    if obj is not None:
        label = obj._meta.label_lower
        if label == "bidding.project":
            return f"project:{obj.pk}"
        if label == "contracts.contract":
            return f"contract:{obj.pk}"
        if getattr(obj, "contract_id", None):
            return f"contract:{obj.contract_id}"
        if getattr(obj, "project_id", None):
            return f"project:{obj.project_id}"
        if label == "accounts.organization":
            return f"organization:{obj.pk}"
    if organization is not None:
        return f"organization:{organization.pk}"
    return MARKET


def _locked_head(stream: str) -> StreamHead:
    # In SQL of its own, as the head's update below: every write in the market appends here,
    # and building these two small statements through the ORM cost more than running them.
    table = connection.ops.quote_name(StreamHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    read = f"SELECT id, seq, hash FROM {table} WHERE stream = %s{lock}"
    with connection.cursor() as cursor:
        cursor.execute(read, [stream])
        row = cursor.fetchone()
        if row is None:
            # A concurrent first append may have created the row meanwhile: then keep that
            # one (ON CONFLICT DO NOTHING, no savepoint: an agency's first bid on a project
            # opens a stream, so this is the bid path's usual case).
            StreamHead.objects.bulk_create([StreamHead(stream=stream, seq=0,
                                                       hash=genesis_hash(stream))],
                                           ignore_conflicts=True)
            cursor.execute(read, [stream])
            row = cursor.fetchone()
    head_id, seq, head_hash = row
    return StreamHead(id=head_id, stream=stream, seq=seq, hash=head_hash)


def _move_heads(heads: list[StreamHead]) -> None:
    """Write each head's `seq` and `hash` as set in memory: one parameterised UPDATE, run for
    every head (a single one, `record`'s, is executed plainly)."""
    table = connection.ops.quote_name(StreamHead._meta.db_table)
    sql = f"UPDATE {table} SET seq = %s, hash = %s WHERE id = %s"
    rows = [(head.seq, head.hash, head.pk) for head in heads]
    with connection.cursor() as cursor:
        if len(rows) == 1:
            cursor.execute(sql, rows[0])
        else:
            cursor.executemany(sql, rows)


def _insert_and_move_head(entry: AuditEntry, head: StreamHead) -> None:
    """Insert `entry` and move its stream's head to it (`head` as set in memory): what
    `entry.save()` and `_move_heads([head])` do, in one statement on PostgreSQL (the UPDATE
    with the INSERT as its CTE). Every write in the market appends here, and the ORM's insert
    cost more than running it."""
    quote = connection.ops.quote_name
    meta = AuditEntry._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(entry, add=True), connection)
              for field in fields]
    insert = (f"INSERT INTO {quote(meta.db_table)} "
              f"({', '.join(quote(field.column) for field in fields)}) "
              f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(meta.pk.column)}")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"WITH entry AS ({insert}) "
                           f"UPDATE {quote(StreamHead._meta.db_table)} SET seq = %s, hash = %s "
                           f"WHERE id = %s RETURNING (SELECT {quote(meta.pk.column)} FROM entry)",
                           [*values, head.seq, head.hash, head.pk])
            entry.pk = cursor.fetchone()[0]
        else:
            cursor.execute(insert, values)
            entry.pk = cursor.fetchone()[0]
            _move_heads([head])
    entry._state.adding, entry._state.db = False, connection.alias


def _actor_fields(actor) -> tuple:
    if actor is not None and actor.is_authenticated:
        return actor, actor.get_username()
    return None, ""


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
    """Append an entry to its stream inside the caller's transaction.

    Call it last in a service: it locks the stream's head, and the lock is held until the
    caller's transaction commits.

    `sealed_project` (a project or its id): the entry is about a sealed bid of that project and
    nobody reads it before the project's opening (`audit.selectors.visible_entries`).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the service's transaction")
    if organization is None and actor is not None:
        membership = getattr(actor, "membership", None) if actor.is_authenticated else None
        organization = membership.organization if membership else None
    stream = stream_of(obj=obj, organization=organization, sealed_project=sealed_project)
    head = _locked_head(stream)
    entry = AuditEntry(
        stream=stream,
        stream_seq=head.seq + 1,
        created_at=now or timezone.now(),
        actor=_actor_fields(actor)[0],
        actor_name=_actor_fields(actor)[1],
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
    head.seq, head.hash = entry.stream_seq, entry.hash
    _insert_and_move_head(entry, head)
    for contributor in hooks.all_of(AUDIT_RECORDED):
        contributor(entry, obj)
    return entry


@dataclass(frozen=True)
class Record:
    """One entry of `record_many`: the arguments `record` takes for it."""

    action: str
    organization: object = None
    obj: object = None
    data: dict | None = None


def record_many(records: list[Record], *, actor=None, now=None,
                batch_size: int = 2000) -> list[AuditEntry]:
    """Append many entries at once, inside the caller's transaction: the same entries, chained
    the same way, as calling `record` for each in turn (each stream's entries follow in the
    order given), in a few statements: the heads of all their streams are locked in one query
    (in stream order, so two bulk appends cannot deadlock), the entries inserted in bulk and
    each head moved once. `audit_verify` checks them like any other entry. A mass operation's
    entries (e.g. the grade-D rule's listings); never sealed-bid entries."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must be called inside the service's transaction")
    if not records:
        return []
    actor, actor_name = _actor_fields(actor)
    created_at = now or timezone.now()
    streams = [stream_of(obj=r.obj, organization=r.organization) for r in records]
    wanted = sorted(set(streams))
    heads = {}
    for start in range(0, len(wanted), batch_size):
        chunk = wanted[start:start + batch_size]
        heads.update((head.stream, head) for head in StreamHead.objects.select_for_update()
                     .filter(stream__in=chunk).order_by("stream"))
    missing = [stream for stream in wanted if stream not in heads]
    if missing:
        # As in `_locked_head`: a concurrent first append may have created a row; keep that one.
        StreamHead.objects.bulk_create(
            [StreamHead(stream=stream, seq=0, hash=genesis_hash(stream)) for stream in missing],
            ignore_conflicts=True, batch_size=batch_size)
        for start in range(0, len(missing), batch_size):
            heads.update((head.stream, head) for head in StreamHead.objects.select_for_update()
                         .filter(stream__in=missing[start:start + batch_size])
                         .order_by("stream"))
    entries = []
    for r, stream in zip(records, streams, strict=True):
        head = heads[stream]
        entry = AuditEntry(
            stream=stream, stream_seq=head.seq + 1, created_at=created_at, actor=actor,
            actor_name=actor_name, organization=r.organization, action=r.action,
            object_type=r.obj._meta.label_lower if r.obj is not None else "",
            object_id=str(r.obj.pk) if r.obj is not None else "",
            object_repr=str(r.obj)[:200] if r.obj is not None else "",
            data=_normalize(r.data), prev_hash=head.hash)
        entry.hash = compute_hash(entry)
        head.seq, head.hash = entry.stream_seq, entry.hash
        entries.append(entry)
    entries = AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
    _move_heads([heads[stream] for stream in wanted])
    objs = [r.obj for r in records]
    for contributor in hooks.all_of(AUDIT_RECORDED):
        many = getattr(contributor, "many", None)
        if many is not None:
            many(entries, objs)
            continue
        for entry, obj in zip(entries, objs, strict=True):
            contributor(entry, obj)
    return entries


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_entry: int | None = None  # the entry's number (its id) where the log breaks
    reason: str = ""
    streams: int = 0
    checkpoints: int = 0


def verify_streams(*, batch_size: int = 2000) -> VerifyResult:
    """Walk every stream in order; report the first entry whose position, link or hash does not
    hold, and a head that does not match its stream's last entry."""
    heads = dict(StreamHead.objects.values_list("stream", "hash"))
    checked = streams = 0
    stream = expected_prev = None
    expected_seq = 1

    def _closed(stream, last_hash):
        if heads.get(stream, last_hash) != last_hash:
            return f"the head of stream {stream} does not match its last entry"
        return ""

    entries = AuditEntry.objects.order_by("stream", "stream_seq").iterator(chunk_size=batch_size)
    for entry in entries:
        if entry.stream != stream:
            if stream is not None and (reason := _closed(stream, expected_prev)):
                return VerifyResult(False, checked, None, reason, streams)
            stream, expected_prev, expected_seq = entry.stream, genesis_hash(entry.stream), 1
            streams += 1
        if entry.stream_seq != expected_seq:
            return VerifyResult(False, checked, entry.pk,
                                f"missing entry {expected_seq} of stream {stream}", streams)
        if entry.prev_hash != expected_prev:
            return VerifyResult(False, checked, entry.pk, "prev_hash does not match", streams)
        if compute_hash(entry) != entry.hash:
            return VerifyResult(False, checked, entry.pk, "content does not match its hash",
                                streams)
        expected_prev = entry.hash
        expected_seq += 1
        checked += 1
    if stream is not None and (reason := _closed(stream, expected_prev)):
        return VerifyResult(False, checked, None, reason, streams)
    return VerifyResult(True, checked, streams=streams)


def verify_chain() -> VerifyResult:
    """Every stream, then every checkpoint: their signatures, their chain, their roots, and that
    every head a checkpoint anchored is still in the log (so a truncation or rewrite after a
    checkpoint is found even if the heads were rewritten to match)."""
    from marketplace.audit.checkpoints import verify_checkpoints

    result = verify_streams()
    if not result.ok:
        return result
    problem, count = verify_checkpoints()
    result.checkpoints = count
    if problem:
        return VerifyResult(False, result.checked, problem[0], problem[1], result.streams, count)
    return result
