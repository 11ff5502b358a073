"""The service clock (DESIGN §4 "Contracts"): it runs from the moment both parties have signed
until the owner's acceptance (or termination) and stands still while the owner has suspended
the work. Promised days are calendar days of 24 hours measured on this clock."""

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

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


def service_clock(contract, *, now: dt.datetime) -> ServiceClock | None:
    """The contract's clock, or None before both signatures (or when it never started)."""
    if contract.activated_at is None:
        return None
    return measure(started_at=contract.activated_at,
                   stopped_at=contract.completed_at or contract.terminated_at,
                   promised_days=contract.promised_days,
                   suspensions=contract.suspensions.values_list("started_at", "ended_at"),
                   now=now)
