"""Thin Celery wrappers (settings CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from marketplace.pki import services


@shared_task(name="pki.renew_due_certificates")
def renew_due_certificates() -> int:
    return services.renew_due_certificates()
