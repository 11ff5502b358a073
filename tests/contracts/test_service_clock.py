"""The service clock: calendar days from both signatures, suspensions excluded."""

import datetime as dt

from contracts.clock import measure

START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def days(n: float) -> dt.timedelta:
    return dt.timedelta(days=n)


def test_the_clock_counts_calendar_time_from_the_start():
    clock = measure(started_at=START, stopped_at=None, promised_days=10, suspensions=[],
                    now=START + days(3))
    assert clock.elapsed == days(3) and clock.remaining == days(7) and clock.running


def test_a_closed_suspension_is_not_counted():
    clock = measure(started_at=START, stopped_at=None, promised_days=10,
                    suspensions=[(START + days(1), START + days(4))], now=START + days(6))
    assert clock.elapsed == days(3)


def test_an_open_suspension_pauses_the_clock():
    clock = measure(started_at=START, stopped_at=None, promised_days=10,
                    suspensions=[(START + days(2), None)], now=START + days(9))
    assert clock.elapsed == days(2) and clock.paused and not clock.running


def test_the_clock_stops_at_acceptance():
    clock = measure(started_at=START, stopped_at=START + days(5), promised_days=10,
                    suspensions=[], now=START + days(30))
    assert clock.elapsed == days(5) and not clock.running


def test_overdue_days_count_each_day_begun():
    clock = measure(started_at=START, stopped_at=None, promised_days=10, suspensions=[],
                    now=START + days(12) + dt.timedelta(hours=1))
    assert clock.overdue_days == 3 and clock.remaining == dt.timedelta(0)
    on_time = measure(started_at=START, stopped_at=None, promised_days=10, suspensions=[],
                      now=START + days(10))
    assert on_time.overdue_days == 0
