"""Thin Celery wrappers. The beat task only performs what is due, idempotently; any later
action on the contract performs the same lapse on demand."""

from celery import shared_task

from contracts import notices
from contracts.services import signing, time_limits

# Scheduled every minute by CELERY_BEAT_SCHEDULE in marketplace/settings.py.


@shared_task(name="contracts.lapse_due_contracts")
def lapse_due_contracts() -> int:
    return signing.lapse_due_contracts()


@shared_task(name="contracts.watch_time_limits")
def watch_time_limits() -> dict:
    return time_limits.watch_time_limits()


@shared_task(name="contracts.notify")
def notify(*, event: str, **ids) -> int:
    return notices.send(event, **ids)
