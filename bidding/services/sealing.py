"""Key rotation of sealed bids (docs/decisions.md "Sealed bids encrypted at rest")."""

import datetime as dt

from django.db import transaction

from bidding import sealing
from bidding.services.common import now_or
from marketplace import sealing as envelope
from marketplace.audit import services as audit


@transaction.atomic
def seal_keys_rotate(*, by=None, now: dt.datetime | None = None) -> dict:
    """Wrap every project's data key again under the current key-encryption key; the sealed
    data is unchanged. All or nothing: a KEK that cannot unwrap a key stops it (SealBroken)."""
    now = now_or(now)
    current = envelope.configured_keys().current_id
    rewrapped, already = sealing.rewrap_all(now=now)
    data = {"kek_id": current, "rewrapped": rewrapped, "already_current": already}
    audit.record(action="bidding.seal_keys_rotated", actor=by, data=data, now=now)
    return data
