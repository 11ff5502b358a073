"""The service clock (DESIGN §4 "Contracts"): it runs from the moment both parties have signed
until the owner's acceptance (or termination) and stands still while the owner has suspended
the work. Promised days are calendar days of 24 hours measured on this clock."""

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class ServiceClock:
    started_at: dt.datetime
    stopped_at: dt.datetime | None
    elapsed: dt.timedelta
    promised: dt.timedelta
    paused: bool

    @property
    def remaining(self) -> dt.timedelta:
        return max(self.promised - self.elapsed, dt.timedelta(0))

    @property
    def overdue(self) -> dt.timedelta:
        return max(self.elapsed - self.promised, dt.timedelta(0))

    @property
    def overdue_days(self) -> int:
        """Days late, each day begun counting as a day."""
        return math.ceil(self.overdue / DAY)

    @property
    def elapsed_days(self) -> float:
        return round(self.elapsed / DAY, 1)

    @property
    def remaining_days(self) -> float:
        return round(self.remaining / DAY, 1)

    @property
    def running(self) -> bool:
        return self.stopped_at is None and not self.paused


def measure(*, started_at: dt.datetime, stopped_at: dt.datetime | None, promised_days: int,
            suspensions: Iterable[tuple[dt.datetime, dt.datetime | None]],
            now: dt.datetime) -> ServiceClock:
    """The clock at `now`: time from `started_at` to `stopped_at` (or now), minus every
    suspension interval clipped to that span."""
    end = min(stopped_at, now) if stopped_at is not None else now
    elapsed = max(end - started_at, dt.timedelta(0))
    paused = False
    for begun, ended in suspensions:
        if ended is None:
            paused = stopped_at is None
        upper = min(ended or end, end)
        lower = max(begun, started_at)
        if upper > lower:
            elapsed -= upper - lower
    return ServiceClock(started_at=started_at, stopped_at=stopped_at,
                        elapsed=max(elapsed, dt.timedelta(0)),
                        promised=promised_days * DAY, paused=paused)


def service_clock(contract, *, now: dt.datetime,
                  promised_days: int | None = None) -> ServiceClock | None:
    """The contract's clock against its promised days (or `promised_days`), or None before
    both signatures (or when it never started)."""
    if contract.activated_at is None:
        return None
    return measure(started_at=contract.activated_at,
                   stopped_at=contract.completed_at or contract.terminated_at,
                   promised_days=(contract.promised_days if promised_days is None
                                  else promised_days),
                   # .all(), not values_list(): a list page's prefetch serves it.
                   suspensions=[(s.started_at, s.ended_at) for s in contract.suspensions.all()],
                   now=now)


# --- A monopoly item's time limit (issue 17 §3) ---------------------------------------------

class LimitState:
    RUNNING = "running"
    NEAR = "near"
    OVERRUN = "overrun"


def time_limit_clock(contract, *, now: dt.datetime) -> ServiceClock | None:
    """The same clock measured against the time limit the item's competent department set
    (as published when the project was), or None: not a monopoly item, or not yet in force."""
    if contract.time_limit_days is None:
        return None
    return service_clock(contract, now=now, promised_days=contract.time_limit_days)


def warning_window(limit_days: int) -> dt.timedelta:
    """How long before the limit runs out the parties and the regulators are told: the
    configured days or share of the limit, whichever is longer, never more than the limit."""
    days = max(settings.MARKETPLACE_TIME_LIMIT_WARNING_DAYS,
               limit_days * settings.MARKETPLACE_TIME_LIMIT_WARNING_PERCENT / 100)
    return min(days, limit_days) * DAY


def limit_state(clock: ServiceClock, limit_days: int) -> str:
    if clock.overdue:
        return LimitState.OVERRUN
    if clock.remaining <= warning_window(limit_days):
        return LimitState.NEAR
    return LimitState.RUNNING
