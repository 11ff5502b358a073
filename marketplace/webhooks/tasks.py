from celery import shared_task

from marketplace.webhooks import delivery


@shared_task(name="webhooks.deliver")
def deliver(*, delivery_id: int) -> str | None:
    return delivery.delivery_attempt(delivery_id=delivery_id)


@shared_task(name="webhooks.deliver_due")
def deliver_due() -> int:
    return delivery.deliver_due()
