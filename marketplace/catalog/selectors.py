"""Reads of the reference data that views and the API share."""

import datetime as dt

from django.utils import timezone

from marketplace.catalog.models import CalendarYear


def years_missing_calendar(now: dt.datetime | None = None) -> list[int]:
    """This year and next, where nobody has entered the holidays yet (ascending).

    Working-day periods fall back to Monday-Friday in such a year (`marketplace.periods`), so
    regulators are asked to enter it; next year counts because periods reach into it.
    """
    year = timezone.localdate(now or timezone.now()).year
    wanted = [year, year + 1]
    entered = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return [y for y in wanted if y not in entered]
