"""Cached figures that start afresh on an event: a *generation* in the cache prefixes every
key, and renewing it retires every figure at once (no key listing, any cache backend). Used by
the price index and the public market figures, each with its own generation and lifetime."""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction


class CacheGeneration:
    def __init__(self, name: str, seconds_setting: str):
        self.name, self.seconds_setting = name, seconds_setting
        self.key = f"{name}:generation"

    def cached(self, key: str, compute: Callable):
        """`compute()`, kept for the setting's number of seconds in the current generation."""
        full_key = f"{self.name}:{cache.get(self.key, 0)}:{key}"
        found = cache.get(full_key)
        if found is None:
            found = compute()
            cache.set(full_key, found, getattr(settings, self.seconds_setting))
        return found

    def renew(self) -> None:
        """Start a new generation: every cached figure is computed afresh."""
        cache.set(self.key, time.time_ns(), None)

    def renew_now_and_after_commit(self) -> None:
        """Now (this process stops answering from the old figures) and after commit (a read
        between the two would otherwise cache the figures from before the change)."""
        self.renew()
        transaction.on_commit(self.renew)
