"""Periods of DESIGN §5 (`72h`, `3wd`, `0s`…) and adding them to a moment.

`wd` counts working days on the Chinese statutory calendar the product owns
(`catalog.CalendarDay` / `catalog.CalendarYear`). Adding N working days keeps the local time of
day and lands on the N-th working day strictly after the start's local date. A year nobody has
entered holidays for falls back to Monday-Friday with a warning; it never raises.
"""

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

_PERIOD_RE = re.compile(r"^\s*(\d+)\s*(wd|s|m|h|d)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Bounds a walk through the calendar; no real period is anywhere near it.
_MAX_WORKING_DAYS = 3660


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def is_working_days(self) -> bool:
        return self.unit == "wd"


def parse_period(value: "str | Period") -> Period:
    if isinstance(value, Period):
        return value
    match = _PERIOD_RE.match(str(value))
    if not match:
        raise ValueError(
            f"Invalid period {value!r}: use a whole number followed by s, m, h, d or wd"
        )
    amount, unit = int(match.group(1)), match.group(2)
    if unit == "wd" and amount > _MAX_WORKING_DAYS:
        raise ValueError(f"Invalid period {value!r}: at most {_MAX_WORKING_DAYS} working days")
    return Period(amount, unit)


def describe_period(value: "str | Period") -> str:
    """A period in words, in the active language: `15d` → "15天" / "15 days", `1095d` →
    "1095天（约3年）", `3wd` → "3个工作日" / "3 working days", `72h` → "72小时". Every page
    that shows a period shows it through this (templates: the `|period` filter)."""
    period = parse_period(value)
    n = period.amount
    if period.unit == "wd":
        return ngettext("%(n)d working day", "%(n)d working days", n) % {"n": n}
    if period.unit == "h":
        return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
    if period.unit == "m":
        return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}
    if period.unit == "s":
        return ngettext("%(n)d second", "%(n)d seconds", n) % {"n": n}
    days = ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
    about = _about(n)
    return _("%(days)s (%(about)s)") % {"days": days, "about": about} if about else days


def _about(days: int) -> str:
    """Roughly how many years or months `days` is, when it is close to a round number."""
    years = round(days / 365)
    if years >= 1 and abs(days - years * 365) <= 5:
        return ngettext("about %(n)d year", "about %(n)d years", years) % {"n": years}
    months = round(days / 30.44)
    if 2 <= months < 12 and abs(days - months * 30.44) <= 3:
        return ngettext("about %(n)d month", "about %(n)d months", months) % {"n": months}
    return ""


def setting_period(name: str) -> Period:
    """The period configured in settings `name`, e.g. `MARKETPLACE_PUBLICITY_PERIOD`."""
    raw = getattr(settings, name)
    try:
        return parse_period(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from exc


def add_period(start: dt.datetime, period: "str | Period") -> dt.datetime:
    return _shift(start, parse_period(period), +1)


def subtract_period(end: dt.datetime, period: "str | Period") -> dt.datetime:
    """The moment `period` before `end`: "within the last 3 working days" counts working days
    backwards, which `now - (add_period(now, p) - now)` does not (weekends fall differently)."""
    return _shift(end, parse_period(period), -1)


def _shift(start: dt.datetime, period: Period, direction: int) -> dt.datetime:
    if not period.is_working_days:
        return start + direction * dt.timedelta(
            seconds=period.amount * _UNIT_SECONDS[period.unit])
    if period.amount == 0:
        return start
    local = timezone.localtime(start) if timezone.is_aware(start) else start
    calendar = WorkingCalendar()
    day = local.date()
    remaining = period.amount
    while remaining:
        day += dt.timedelta(days=direction)
        if calendar.is_working_day(day):
            remaining -= 1
    end = dt.datetime.combine(day, local.time())
    if timezone.is_aware(start):
        end = timezone.make_aware(end, local.tzinfo)
    return end


class WorkingCalendar:
    """Reads the calendar one year at a time (one query per year touched)."""

    _warned_years: set[int] = set()

    def __init__(self) -> None:
        self._years: dict[int, tuple[bool, dict[dt.date, bool]]] = {}

    def _year(self, year: int) -> tuple[bool, dict[dt.date, bool]]:
        if year not in self._years:
            from marketplace.catalog.models import CalendarDay, CalendarYear

            has_data = CalendarYear.objects.filter(year=year).exists()
            days = dict(
                CalendarDay.objects.filter(date__year=year).values_list("date", "is_working_day")
            )
            if not has_data and year not in WorkingCalendar._warned_years:
                WorkingCalendar._warned_years.add(year)
                logger.warning(
                    "No holiday calendar for %s: counting Monday to Friday as working days. "
                    "A regulator should enter that year's holidays.",
                    year,
                )
            self._years[year] = (has_data, days)
        return self._years[year]

    def is_working_day(self, day: dt.date) -> bool:
        _has_data, exceptions = self._year(day.year)
        if day in exceptions:
            return exceptions[day]
        return day.weekday() < 5

    def has_data(self, year: int) -> bool:
        return self._year(year)[0]


def is_working_day(day: dt.date) -> bool:
    return WorkingCalendar().is_working_day(day)
