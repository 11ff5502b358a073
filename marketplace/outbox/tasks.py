from celery import shared_task

from marketplace.outbox import services


@shared_task(name="marketplace.outbox.flush")
def flush() -> int:
    return services.flush()
