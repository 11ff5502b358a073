"""Thin Celery wrappers: announcements are published after commit, idempotently."""

from celery import shared_task

from cms import announcements


@shared_task(name="cms.publish_announcement")
def publish_announcement(**facts) -> int:
    page, _created = announcements.publish(**facts)
    return page.pk


@shared_task(name="cms.announce_bidding_event")
def announce_bidding_event(*, event: str, **ids) -> int | None:
    page = announcements.announce_bidding_event(event, **ids)
    return page.pk if page is not None else None
