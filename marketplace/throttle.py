"""Counting attempts per client address, per contact or per anything, in Django's cache.

A fixed window per key: the first hit starts it (`cache.add` with the period as timeout),
each later hit increments it, and a hit past the limit is refused with `Throttled` (HTTP 429,
code `throttled`) whose message says, in the user's language, when to try again. Keys are
hashed: a phone number or an e-mail address never appears in a cache key.

The counts are only as shared as the cache: in production, a cache all processes share
(docs/decisions.md "Public complaints: throttling").
"""

import hashlib

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from marketplace.errors import DomainError


class Throttled(DomainError):
    status_code = 429
    code = "throttled"
    default_message = _("Too many attempts. Please wait a while and try again.")


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(f"{scope}:{value}".encode()).hexdigest()
    return f"throttle:{scope}:{digest}"


def check_rate(scope: str, value: str | None, *, limit: int, period: int, message=None,
               field: str | None = None) -> None:
    """Count one attempt of `value` in `scope`; refuse it past `limit` in `period` seconds.
    A missing value (no client address) is not counted."""
    if not value:
        return
    key = _key(scope, value)
    if cache.add(key, 1, timeout=period):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a new window
            cache.set(key, 1, timeout=period)
            count = 1
    if count > limit:
        raise Throttled(message, field=field)
