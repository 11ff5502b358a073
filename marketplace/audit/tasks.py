from celery import shared_task

from marketplace.audit.checkpoints import create_checkpoint


@shared_task(name="marketplace.audit.checkpoint")
def checkpoint() -> int | None:
    created = create_checkpoint()
    return created.pk if created else None
