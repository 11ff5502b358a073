"""Thin Celery wrappers. The beat tasks only perform what is due, idempotently; the same
transitions are available on demand (the owner's open/finalize)."""

from celery import shared_task
from django.db import transaction

from bidding import notices
from bidding.services import award, client_data, opening, saved_searches
from marketplace.outbox.services import enqueue

# Scheduled every minute by CELERY_BEAT_SCHEDULE in marketplace/settings.py.


@shared_task(name="bidding.open_due_projects")
def open_due_projects() -> int:
    """Hand the due projects to the workers, a chunk per task, so that every worker process
    opens some; returns how many projects were handed out. Published straight to the broker,
    not through the outbox: the due projects themselves are the durable intent (a chunk lost
    on the way is found due again by the next tick), and there is no transaction to follow."""
    chunks = opening.chunks_of_due()
    for chunk in chunks:
        open_projects.delay(project_ids=chunk)
    return sum(len(chunk) for chunk in chunks)


@shared_task(name="bidding.open_projects")
def open_projects(*, project_ids: list[int]) -> int:
    """One chunk of due projects, each opened in its own transaction (idempotent)."""
    return opening.open_projects(project_ids)


@shared_task(name="bidding.finalize_due_awards")
def finalize_due_awards() -> int:
    return award.finalize_due_awards()


@shared_task(name="bidding.notify_matching_agencies")
def notify_matching_agencies(*, project_id: int, after_id: int = 0,
                             batch_size: int = notices.MATCHING_BATCH_SIZE) -> int | None:
    """One batch per run; the next batch is enqueued in the same transaction as this one's
    notices, so a crash never skips or repeats a whole batch."""
    with transaction.atomic():
        last = notices.notify_matching_batch(project_id=project_id, after_id=after_id,
                                             batch_size=batch_size)
        if last is not None:
            enqueue(notify_matching_agencies, project_id=project_id, after_id=last,
                    batch_size=batch_size)
    return last


@shared_task(name="bidding.notify")
def notify(*, event: str, **ids) -> int:
    return notices.send(event, **ids)


@shared_task(name="bidding.match_saved_searches")
def match_saved_searches(*, project_id: int) -> int:
    return saved_searches.match_published_project(project_id=project_id)


# Scheduled daily by CELERY_BEAT_SCHEDULE ("bidding-saved-search-digests").
@shared_task(name="bidding.saved_search_digests")
def saved_search_digests() -> int:
    return saved_searches.send_daily_digests()


@shared_task(name="bidding.purge_bid_client_data")
def purge_bid_client_data() -> int:
    return client_data.bid_client_data_purge()
