"""Thin Celery wrappers. Beat tasks only perform what is due, idempotently (settings
CELERY_BEAT_SCHEDULE); each is also available on demand (`manage.py credit_recompute`)."""

from celery import shared_task

from marketplace.accounts.models import Organization
from ratings import services
from ratings.services import incidents, public_complaints, redflags


@shared_task(name="ratings.recompute_organization")
def recompute_organization(*, organization_id: int) -> str | None:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return None
    return services.credit_recompute_organization(organization=organization).credit_grade


@shared_task(name="ratings.recompute_all")
def recompute_all() -> int:
    # Incidents a lost signal never turned into events are caught up first (idempotent).
    incidents.record_missing_incidents()
    return services.credit_recompute_all()


@shared_task(name="ratings.expire_blacklist_entries")
def expire_blacklist_entries() -> int:
    return services.blacklist_expire_due()


@shared_task(name="ratings.close_rating_windows")
def close_rating_windows() -> int:
    return services.ratings_close_due()


@shared_task(name="ratings.purge_unverified_complaints")
def purge_unverified_complaints() -> int:
    return public_complaints.public_complaints_purge_unverified()


@shared_task(name="ratings.red_flags_run")
def red_flags_run() -> int:
    return sum(redflags.red_flags_run().counts.values())
