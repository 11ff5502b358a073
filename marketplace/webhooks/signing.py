"""The `Marketplace-Signature` header (API.md): `t=<unix seconds>,v1=<hex HMAC-SHA256 of
"t.body">` with the endpoint's secret, like Stripe's. `verify` is the receiver's side, the
same code docs/webhooks.md shows (the tests verify deliveries with it)."""

import hashlib
import hmac
import time

HEADER = "Marketplace-Signature"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, header_value: str, body: bytes, *,
           tolerance: int = TOLERANCE_SECONDS, now: float | None = None) -> bool:
    """True when `header_value` signs `body` with `secret` within `tolerance` seconds."""
    parts = [part.split("=", 1) for part in header_value.split(",") if "=" in part]
    timestamps = [value for key, value in parts if key.strip() == "t"]
    candidates = [value.strip() for key, value in parts if key.strip() == "v1"]
    if len(timestamps) != 1 or not timestamps[0].strip().isdigit() or not candidates:
        return False
    timestamp = int(timestamps[0])
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)
