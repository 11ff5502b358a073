"""How long and how often a failing delivery is retried, and when an endpoint that keeps
failing is switched off (settings `WEBHOOKS_*`, docs/webhooks.md "Retries")."""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext

FIRST_DELAY_SECONDS = 60


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4, 8 … minutes, capped."""
    seconds = FIRST_DELAY_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, settings.WEBHOOKS_MAX_BACKOFF_SECONDS))


def retry_window() -> dt.timedelta:
    return dt.timedelta(hours=settings.WEBHOOKS_RETRY_HOURS)


def next_attempt_at(*, created_at: dt.datetime, attempts: int, now: dt.datetime
                    ) -> dt.datetime | None:
    """When to try again after `attempts` failed attempts; None once the retry window (24
    hours from the delivery's creation) would be passed: the delivery has failed."""
    at = now + retry_delay(attempts)
    return at if at <= created_at + retry_window() else None


def schedule(*, created_at: dt.datetime) -> list[dt.datetime]:
    """Every attempt's time when each one fails at once (the documented schedule)."""
    times, now = [created_at], created_at
    while (now := next_attempt_at(created_at=created_at, attempts=len(times), now=now)):
        times.append(now)
    return times


def disable_reason(*, consecutive_failures: int, failing_since: dt.datetime | None,
                   now: dt.datetime) -> str:
    """Why an endpoint must be disabled now ("" while it may go on)."""
    if consecutive_failures >= settings.WEBHOOKS_DISABLE_AFTER_FAILURES:
        return gettext("%(count)s deliveries in a row failed.") % {
            "count": consecutive_failures}
    if failing_since is not None and now - failing_since >= retry_window():
        return gettext("Every delivery has failed for %(hours)s hours.") % {
            "hours": settings.WEBHOOKS_RETRY_HOURS}
    return ""
