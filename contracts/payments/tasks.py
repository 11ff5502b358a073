"""Thin Celery wrappers for payments: Stripe transfers and refunds run after commit, from the
outbox; the beat task retries those whose call failed (idempotency keys make retries safe).
Registered by `ContractsConfig.ready()`, which imports this module."""

from celery import shared_task

from contracts.payments import services as payments


@shared_task(name="contracts.payout_send")
def payout_send(*, payout_id: int) -> str:
    return payments.payout_send(payout_id=payout_id).status


@shared_task(name="contracts.refund_send")
def refund_send(*, payment_id: int) -> str:
    return payments.refund_send(payment_id=payment_id).status


@shared_task(name="contracts.payments_retry")
def payments_retry() -> int:
    return payments.retry_due()


@shared_task(name="contracts.payment_notify")
def payment_notify(*, event: str, payment_id: int | None = None,
                   payout_id: int | None = None) -> int:
    from contracts.payments import notices

    return notices.send(event, payment_id=payment_id, payout_id=payout_id)
