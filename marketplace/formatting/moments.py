"""Moments as people read them: local time (the market's time zone), to the minute."""

import datetime as dt

from django.utils import timezone


def local_minute(moment: dt.datetime | None, *, empty: str = "") -> str:
    """``2026-12-05 14:30`` in local time, as the pages, notices, refusals and PDFs write a
    moment; `empty` for none."""
    if moment is None:
        return empty
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
