"""`wd` periods count working days on the product's own statutory calendar, in Chongqing time."""

import datetime as dt
import logging
import zoneinfo

import pytest

from marketplace.catalog.models import CalendarDay, CalendarYear
from marketplace.periods import WorkingCalendar, add_period, is_working_day, subtract_period

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _fresh_warnings(monkeypatch):
    # The calendar warns once per process and year; each test starts with none given.
    monkeypatch.setattr(WorkingCalendar, "_warned_years", set())


def test_the_seeded_calendar_has_national_day_week_2026():
    holidays = set(CalendarDay.objects.filter(is_working_day=False,
                                              date__range=("2026-10-01", "2026-10-07"))
                   .values_list("date", flat=True))
    # Oct 3-4 are a weekend anyway; the five weekdays are the holidays stored.
    assert holidays == {dt.date(2026, 10, d) for d in (1, 2, 5, 6, 7)}
    assert CalendarDay.objects.get(date=dt.date(2026, 9, 20)).is_working_day  # a Sunday
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 10)).is_working_day  # a Saturday
    assert CalendarYear.objects.get(year=2026).source == CalendarYear.Source.SEED


@pytest.mark.parametrize("day,working", [
    (dt.date(2026, 10, 1), False), (dt.date(2026, 10, 7), False), (dt.date(2026, 10, 3), False),
    (dt.date(2026, 10, 8), True), (dt.date(2026, 9, 20), True), (dt.date(2026, 10, 10), True),
    (dt.date(2026, 10, 11), False), (dt.date(2026, 9, 30), True),
])
def test_is_working_day_around_national_day_2026(day, working):
    assert is_working_day(day) is working


def test_one_working_day_after_the_eve_of_national_day_is_the_day_after_the_holidays():
    assert add_period(at("2026-09-30T10:00"), "1wd") == at("2026-10-08T10:00")


def test_an_adjusted_working_saturday_counts():
    assert add_period(at("2026-10-09T10:00"), "1wd") == at("2026-10-10T10:00")


def test_an_adjusted_working_sunday_counts():
    # Fri Sep 18 + 1wd: the adjusted working Sunday Sep 20 comes before Monday.
    assert add_period(at("2026-09-18T09:00"), "1wd") == at("2026-09-20T09:00")


def test_three_working_days_across_the_whole_holiday():
    # Sep 30 → Oct 8 (1), Oct 9 (2), Sat Oct 10 (3).
    assert add_period(at("2026-09-30T16:30"), "3wd") == at("2026-10-10T16:30")


def test_starting_inside_the_holiday_counts_from_the_next_working_day():
    assert add_period(at("2026-10-03T08:00"), "1wd") == at("2026-10-08T08:00")


def test_the_local_date_decides_not_the_utc_one():
    # 17:00 UTC on Sep 30 is 01:00 on Oct 1 in Chongqing: already inside the holiday.
    start = dt.datetime(2026, 9, 30, 17, 0, tzinfo=dt.UTC)

    end = add_period(start, "1wd")

    assert end == at("2026-10-08T01:00")
    assert end.tzinfo is not None
    assert end.astimezone(SHANGHAI).hour == 1


def test_the_result_keeps_the_local_time_of_day():
    end = add_period(at("2026-09-30T23:59:59"), "2wd")

    assert (end.date(), end.time()) == (dt.date(2026, 10, 9), dt.time(23, 59, 59))
    assert end.utcoffset() == dt.timedelta(hours=8)


def test_a_year_without_calendar_falls_back_to_monday_to_friday_with_a_warning(caplog):
    # Thu Dec 31 (1); 2027 has no calendar, so Fri Jan 1 counts (2), then Mon Jan 4 (3).
    with caplog.at_level(logging.WARNING, logger="marketplace.periods"):
        end = add_period(at("2026-12-30T10:00"), "3wd")

    assert end == at("2027-01-04T10:00")
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "2027" in warnings[0].getMessage()


def test_the_fallback_warns_once_per_year(caplog):
    with caplog.at_level(logging.WARNING, logger="marketplace.periods"):
        add_period(at("2026-12-30T10:00"), "3wd")
        add_period(at("2027-03-01T10:00"), "10wd")

    assert len([r for r in caplog.records if "2027" in r.getMessage()]) == 1


def test_far_into_unknown_years_it_never_raises():
    end = add_period(at("2026-12-30T10:00"), "500wd")

    assert end.year == 2028
    assert end.weekday() < 5


def test_a_regulator_entered_year_changes_the_result(caplog):
    CalendarYear.objects.create(year=2027, source=CalendarYear.Source.REGULATOR)
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_working_day=False, name="元旦")

    with caplog.at_level(logging.WARNING, logger="marketplace.periods"):
        end = add_period(at("2026-12-30T10:00"), "3wd")

    # Thu Dec 31 (1), Mon Jan 4 (2), Tue Jan 5 (3): New Year's Day no longer counts.
    assert end == at("2027-01-05T10:00")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_regulator_entered_working_saturday_counts():
    CalendarYear.objects.create(year=2027, source=CalendarYear.Source.REGULATOR)
    CalendarDay.objects.create(date=dt.date(2027, 2, 6), is_working_day=True, name="春节")

    # Fri Feb 5 2027 + 1wd lands on the adjusted Saturday.
    assert add_period(at("2027-02-05T10:00"), "1wd") == at("2027-02-06T10:00")


def test_clock_periods_ignore_the_calendar():
    assert add_period(at("2026-09-30T10:00"), "1d") == at("2026-10-01T10:00")
    assert add_period(at("2026-09-30T10:00"), "72h") == at("2026-10-03T10:00")



def test_working_days_counted_backwards_skip_the_holiday():
    # Back from Sat Oct 10 (an adjusted working day): Oct 9 (1), Oct 8 (2), Sep 30 (3).
    assert subtract_period(at("2026-10-10T16:30"), "3wd") == at("2026-09-30T16:30")


def test_counting_back_is_not_the_forward_distance_mirrored():
    # Back from Wed Sep 30: Sep 29 (1), Sep 28 (2), then the Mid-Autumn Friday Sep 25 and the
    # weekend are skipped: Thu Sep 24 (3). The old `now - (add_period(now, p) - now)` mirrored
    # the forward distance (to Sat Oct 10, ten days) and landed on Sep 20.
    now = at("2026-09-30T16:30")
    mirrored = now - (add_period(now, "3wd") - now)
    assert subtract_period(now, "3wd") == at("2026-09-24T16:30")
    assert mirrored != subtract_period(now, "3wd")


def test_calendar_periods_count_back_by_the_clock():
    assert subtract_period(at("2026-03-10T09:00"), "365d") == at("2025-03-10T09:00")
