"""Money moving after commit: Connect payouts on acceptance, refunds on termination."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from contracts.models import Contract, Payment, Payout, StripeAccount
from contracts.payments import states
from contracts.payments.money import from_minor_units
from contracts.payments.providers import stripe as stripe_api
from contracts.payments.services.common import (
    CStatus,
    Status,
    _ledger,
    _lock_payment,
    _notify_later,
    _now,
    _save,
)
from marketplace.audit import services as audit
from marketplace.errors import DomainError
from marketplace.outbox.services import enqueue

# --- payouts (Connect transfers) ---------------------------------------------------------------

def schedule_payout(*, contract: Contract, now: dt.datetime | None = None) -> Payout | None:
    """Called inside a transaction holding the contract's lock once the contract is completed
    (and when an online payment lands after completion): the agency is owed what the owner
    paid through Stripe. Sent after commit when it has a ready Connect account, otherwise
    waiting until it connects one."""
    now = _now(now)
    if Payout.objects.filter(contract=contract).exists():
        return None
    paid = list(contract.payments.filter(provider=Payment.Provider.STRIPE, status=Status.PAID))
    amount = sum((p.amount for p in paid), Decimal("0"))
    if amount <= 0:
        return None
    account = StripeAccount.objects.filter(organization_id=contract.agency_id).first()
    ready = account is not None and account.ready
    payout = Payout.objects.create(
        contract=contract, agency_id=contract.agency_id, amount=amount,
        currency=paid[0].currency, transfer_group=stripe_api.transfer_group(contract),
        status=Payout.Status.PENDING if ready else Payout.Status.WAITING,
        destination=account.account_id if ready else "", created_at=now)
    if ready:
        from contracts.payments import tasks as payments_tasks  # tasks call services: import here
        enqueue(payments_tasks.payout_send, payout_id=payout.pk)
    audit.record(action="payout.scheduled", obj=payout, organization=None,
                 data={"contract": contract.pk, "amount": str(amount),
                       "currency": payout.currency, "status": payout.status}, now=now)
    return payout


def payout_send(*, payout_id: int, now: dt.datetime | None = None) -> Payout:
    """Make the Connect Transfer for a pending payout (after commit, from the outbox).

    Three short steps, none holding a lock during the network call: claim (count the
    attempt), call Stripe with the payout's idempotency key, record the transfer id. Two
    workers sending the same payout get the same Transfer back from Stripe; the first to
    record it wins."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.status != Payout.Status.PENDING:
            return payout
        payout.attempts += 1
        payout.save(update_fields=["attempts"])
    try:
        transfer_id = stripe_api.create_transfer(payout)
    except DomainError as exc:
        with transaction.atomic():
            Payout.objects.filter(pk=payout_id).update(last_error=str(exc.message)[:2000])
            audit.record(action="payout.attempt_failed", obj=payout, organization=None,
                         data={"contract": payout.contract_id, "error": str(exc.message)},
                         now=_now(now))
        payout.refresh_from_db()
        return payout
    now = _now(now)
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.status == Payout.Status.PENDING:
            payout.stripe_transfer_id = transfer_id
            payout.sent_at = now
            payout.last_error = ""
            states.PAYOUT.move(
                payout, Payout.Status.SENT,
                update_fields=["stripe_transfer_id", "sent_at", "last_error"],
                action="payout.sent", organization=None, now=now,
                data={"contract": payout.contract_id, "transfer": transfer_id,
                      "amount": str(payout.amount), "destination": payout.destination})
            _notify_later("payout_sent", payout_id=payout.pk)
    return payout


def _release_waiting_payouts(account: StripeAccount, now: dt.datetime) -> None:
    for payout in Payout.objects.select_for_update().filter(
            agency_id=account.organization_id, status=Payout.Status.WAITING):
        payout.destination = account.account_id
        states.PAYOUT.move(payout, Payout.Status.PENDING, update_fields=["destination"],
                           action="payout.released", organization=None, now=now,
                           data={"contract": payout.contract_id,
                                 "destination": account.account_id})
        from contracts.payments import tasks as payments_tasks  # tasks call services: import here
        enqueue(payments_tasks.payout_send, payout_id=payout.pk)


# --- refunds -----------------------------------------------------------------------------------

def _request_refund(payment: Payment, *, now: dt.datetime) -> None:
    """Inside the caller's transaction (payment locked): mark the refund as due, send it
    after commit."""
    if payment.status != Status.PAID or payment.refund_requested_at is not None:
        return
    payment.refund_requested_at = now
    payment.save(update_fields=["refund_requested_at"])
    _ledger(payment, type="refund.requested", before=payment.status, now=now,
            note="contract terminated before delivery")
    from contracts.payments import tasks as payments_tasks  # tasks call services: import here
    enqueue(payments_tasks.refund_send, payment_id=payment.pk)
    audit.record(action="payment.refund_requested", obj=payment, organization=None,
                 data={"contract": payment.contract_id, "amount": str(payment.amount)}, now=now)


def refund_on_termination(*, contract: Contract, now: dt.datetime | None = None) -> int:
    """A contract terminated before delivery: refund what the owner paid online. Called
    inside the terminating transaction; returns how many refunds were requested."""
    now = _now(now)
    if contract.status != CStatus.TERMINATED or contract.delivered_at is not None:
        return 0
    count = 0
    for payment in Payment.objects.select_for_update().filter(
            contract=contract, provider=Payment.Provider.STRIPE, status=Status.PAID,
            refund_requested_at__isnull=True):
        _request_refund(payment, now=now)
        count += 1
    return count


def refund_send(*, payment_id: int, now: dt.datetime | None = None) -> Payment:
    """Create the Stripe Refund for a payment whose refund is due (after commit)."""
    with transaction.atomic():
        payment = _lock_payment(payment_id)
        if (payment.status != Status.PAID or payment.refund_requested_at is None
                or payment.stripe_refund_id):
            return payment
    try:
        refund = stripe_api.create_refund(payment)
    except DomainError as exc:
        with transaction.atomic():
            Payment.objects.filter(pk=payment_id).update(last_error=str(exc.message)[:2000])
            audit.record(action="payment.refund_attempt_failed", obj=payment,
                         organization=None, data={"error": str(exc.message)}, now=_now(now))
        payment.refresh_from_db()
        return payment
    now = _now(now)
    with transaction.atomic():
        payment = _lock_payment(payment_id)
        if payment.stripe_refund_id:
            return payment
        before = payment.status
        payment.stripe_refund_id = refund.id
        payment.last_error = ""
        fields = ["stripe_refund_id", "last_error"]
        refund_status = getattr(refund, "status", None)
        if refund_status == "succeeded" and states.can_move(payment, Status.REFUNDED):
            states.PAYMENT.move(payment, Status.REFUNDED, save=False)
            payment.refunded_at = now
            payment.refunded_amount = from_minor_units(refund.amount, payment.currency)
            fields += ["refunded_at", "refunded_amount"]
            _notify_later("refunded", payment_id=payment.pk)
        _save(payment, now, *fields)
        _ledger(payment, type="refund.created", before=before, now=now,
                event_id=f"stripe:{refund.id}", provider=Payment.Provider.STRIPE,
                payload={"refund": refund.id, "status": refund_status})
        audit.record(action="payment.refund_created", obj=payment, organization=None,
                     data={"contract": payment.contract_id, "refund": refund.id,
                           "status": refund_status}, now=now)
    return payment


RETRY_AFTER = dt.timedelta(minutes=5)


def retry_due(*, now: dt.datetime | None = None) -> int:
    """Beat task body: resend payouts and refunds still due a few minutes after they were
    scheduled (their first call failed, or the worker died); idempotent."""
    now = _now(now)
    count = 0
    for pk in Payout.objects.filter(status=Payout.Status.PENDING,
                                    created_at__lte=now - RETRY_AFTER
                                    ).values_list("pk", flat=True):
        payout_send(payout_id=pk, now=now)
        count += 1
    for pk in Payment.objects.filter(status=Status.PAID, stripe_refund_id__isnull=True,
                                     refund_requested_at__lte=now - RETRY_AFTER
                                     ).values_list("pk", flat=True):
        refund_send(payment_id=pk, now=now)
        count += 1
    return count


# --- contract lifecycle (receiver of contracts.signals.contract_closed) -------------------------

def on_contract_closed(sender=None, *, contract: Contract, **kwargs) -> None:
    """Completed → pay the agency out; terminated before delivery → refund online payments.
    Runs inside the closing transaction, which holds the contract's lock (connected in
    `ContractsConfig.ready`)."""
    if contract.status == CStatus.COMPLETED:
        schedule_payout(contract=contract, now=contract.completed_at)
    elif contract.status == CStatus.TERMINATED:
        refund_on_termination(contract=contract, now=contract.terminated_at)
