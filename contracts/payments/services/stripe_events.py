"""Stripe webhook events: recorded once, never moving a payment backwards."""

import datetime as dt
import logging
import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from contracts.models import Payment, PaymentEvent, StripeAccount
from contracts.payments import states
from contracts.payments.money import from_minor_units, to_minor_units
from contracts.payments.providers.stripe import MalformedEvent
from contracts.payments.services.common import (
    CStatus,
    Outcome,
    Status,
    _lock_contract,
    _lock_payment,
    _notify_later,
    _now,
    _save,
)
from contracts.payments.services.connect import _update_account
from contracts.payments.services.transfers import _request_refund, schedule_payout
from marketplace.audit import services as audit

logger = logging.getLogger(__name__)


def _payment_by(**lookup) -> Payment | None:
    lookup = {k: v for k, v in lookup.items() if v}
    if not lookup:
        return None
    return Payment.objects.filter(provider=Payment.Provider.STRIPE, **lookup).first()


def _metadata_key(obj: dict) -> str | None:
    key = (obj.get("metadata") or {}).get("payment_key")
    try:
        return str(uuid.UUID(key)) if isinstance(key, str) and key else None
    except ValueError:
        return None


def _find_payment(obj: dict, kind: str) -> Payment | None:
    if kind == "session":
        found = _payment_by(stripe_checkout_session_id=obj.get("id"))
    elif kind == "payment_intent":
        found = _payment_by(stripe_payment_intent_id=obj.get("id"))
    else:  # charge
        found = _payment_by(stripe_payment_intent_id=obj.get("payment_intent"))
    return found or (_payment_by(key=_metadata_key(obj)) if kind != "charge" else None)


def _set_outcome(record: PaymentEvent, payment: Payment | None, before: str, outcome: str,
                 note: str = "") -> None:
    # The row was inserted a moment ago in this same transaction (the insert is what makes a
    # concurrent duplicate wait and then fail); after commit it is never changed.
    record.payment = payment
    record.status_before = before
    record.status_after = payment.status if payment else ""
    record.outcome = outcome
    record.note = note
    record.save(update_fields=["payment", "status_before", "status_after", "outcome", "note"])


def _advance(record: PaymentEvent, payment: Payment, to: str, now: dt.datetime,
             **fields) -> bool:
    """Move the payment forward if the table allows it; an event that would move it
    backwards (or repeat a move) is recorded and changes nothing."""
    before = payment.status
    if not states.can_move(payment, to):
        _set_outcome(record, payment, before, Outcome.IGNORED,
                     f"{record.type} while {before}: no change")
        return False
    states.PAYMENT.move(payment, to, save=False)
    for name, value in fields.items():
        setattr(payment, name, value)
    _save(payment, now, *fields)
    _set_outcome(record, payment, before, Outcome.APPLIED)
    if to in (Status.PAID, Status.REFUNDED):
        _notify_later(to, payment_id=payment.pk)
    audit.record(action=f"payment.{to}", obj=payment, organization=None,
                 data={"contract": payment.contract_id, "event": record.event_id,
                       "type": record.type, "from": before}, now=now)
    return True


def _on_paid(record, payment, obj, now):
    if obj.get("payment_intent") and not payment.stripe_payment_intent_id:
        payment.stripe_payment_intent_id = obj["payment_intent"]
        payment.save(update_fields=["stripe_payment_intent_id"])
    if record.type == "checkout.session.completed" and obj.get("payment_status") not in (
            "paid", "no_payment_required"):
        _set_outcome(record, payment, payment.status, Outcome.IGNORED,
                     "checkout completed, payment still processing")
        return
    expected = to_minor_units(payment.amount, payment.currency)
    if (obj.get("amount_total") is not None and int(obj["amount_total"]) != expected) or (
            obj.get("currency") and obj["currency"].lower() != payment.currency):
        logger.warning("Stripe session %s paid %s %s, expected %s %s", obj.get("id"),
                       obj.get("amount_total"), obj.get("currency"), expected, payment.currency)
        _set_outcome(record, payment, payment.status, Outcome.IGNORED,
                     "amount or currency differs from the payment")
        return
    if _advance(record, payment, Status.PAID, now, paid_at=now):
        contract = payment.contract  # locked by stripe_event_receive
        if contract.status == CStatus.COMPLETED:
            schedule_payout(contract=contract, now=now)
        elif contract.status == CStatus.TERMINATED and contract.delivered_at is None:
            _request_refund(payment, now=now)


def _on_failed(record, payment, obj, now):
    error = obj.get("last_payment_error") or {}
    message = error.get("message") or record.type
    if record.type == "checkout.session.expired":
        expired_at = min(now, payment.checkout_expires_at or now)
        if payment.status == Status.FAILED:
            payment.checkout_expires_at = expired_at
            payment.save(update_fields=["checkout_expires_at"])
            _set_outcome(record, payment, payment.status, Outcome.APPLIED,
                         "checkout page closed")
            return
        _advance(record, payment, Status.FAILED, now, failed_at=now,
                 failure_message=_("The payment page expired."),
                 checkout_expires_at=expired_at)
        return
    _advance(record, payment, Status.FAILED, now, failed_at=now, failure_message=message[:1000])


def _on_refunded(record, payment, obj, now):
    currency = (obj.get("currency") or payment.currency).lower()
    refunded = from_minor_units(obj.get("amount_refunded") or 0, currency)
    if not obj.get("refunded") or refunded < payment.amount:
        _set_outcome(record, payment, payment.status, Outcome.IGNORED, "partial refund")
        return
    _advance(record, payment, Status.REFUNDED, now, refunded_at=now, refunded_amount=refunded)


def _on_account_updated(record, obj, now):
    account = (StripeAccount.objects.select_for_update()
               .filter(account_id=obj.get("id")).first())
    if account is None:
        _set_outcome(record, None, "", Outcome.UNMATCHED)
        return
    _update_account(account, obj, now)
    _set_outcome(record, None, "", Outcome.APPLIED, f"account {account.account_id}")


# What the handlers read from `data.object`, and the JSON type Stripe sends for it. A signed
# body is Stripe's, yet a field of another type must be a refusal, not a crash (`int("x")`).
OBJECT_FIELDS = {
    "id": str, "payment_intent": str, "metadata": dict, "payment_status": str,
    "amount_total": int, "amount_refunded": int, "currency": str, "refunded": bool,
    "last_payment_error": dict, "details_submitted": bool, "charges_enabled": bool,
    "payouts_enabled": bool, "external_accounts": dict,
}


def _malformed(problem: str) -> MalformedEvent:
    return MalformedEvent(_("The Stripe event is malformed: %(problem)s") % {"problem": problem})


def _of_type(value, kind) -> bool:
    if kind is int:  # JSON true is a Python bool, and a bool is an int
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def check_event_shape(event) -> dict:
    """`data.object` of a verified event, once the event has the shape the handlers read;
    else `MalformedEvent` (400 `payment.webhook_malformed`, nothing recorded)."""
    if not isinstance(event, dict):
        raise _malformed(_("the body is not a JSON object."))
    if not all(isinstance(event.get(key), str) and event.get(key) for key in ("id", "type")):
        raise _malformed(_("“id” and “type” must be non-empty strings."))
    data = event.get("data", {})
    obj = data.get("object", {}) if isinstance(data, dict) else None
    if not isinstance(obj, dict):
        raise _malformed(_("“data.object” must be a JSON object."))
    for name, kind in OBJECT_FIELDS.items():
        if obj.get(name) is not None and not _of_type(obj[name], kind):
            raise _malformed(_("“data.object.%(field)s” has the wrong type.") % {"field": name})
    error = obj.get("last_payment_error") or {}
    if error.get("message") is not None and not isinstance(error["message"], str):
        raise _malformed(_("“data.object.last_payment_error.message” has the wrong type."))
    return obj


HANDLERS = {
    "checkout.session.completed": ("session", _on_paid),
    "checkout.session.async_payment_succeeded": ("session", _on_paid),
    "checkout.session.async_payment_failed": ("session", _on_failed),
    "checkout.session.expired": ("session", _on_failed),
    "payment_intent.payment_failed": ("payment_intent", _on_failed),
    "charge.refunded": ("charge", _on_refunded),
}


@transaction.atomic
def stripe_event_receive(*, event: dict, now: dt.datetime | None = None) -> PaymentEvent | None:
    """Record a verified Stripe event once and apply it; None when it was already recorded
    (a replay, or a concurrent duplicate delivery: the unique event id makes the second
    insert wait for the first and then fail)."""
    now = _now(now)
    obj = check_event_shape(event)
    event_id, event_type = event["id"], event["type"]
    try:
        with transaction.atomic():
            record = PaymentEvent.objects.create(
                event_id=event_id, provider=Payment.Provider.STRIPE, type=event_type,
                payload=event, outcome=Outcome.UNMATCHED, received_at=now)
    except IntegrityError:
        return None
    if event_type == "account.updated":
        _on_account_updated(record, obj, now)
        return record
    if event_type not in HANDLERS:
        _set_outcome(record, None, "", Outcome.IGNORED, "not handled")
        return record
    kind, handler = HANDLERS[event_type]
    found = _find_payment(obj, kind)
    if found is None:
        return record  # unmatched: kept in the ledger, changes nothing
    # Locks in the order every path takes: the contract, then its payment.
    contract = _lock_contract(found.contract_id)
    payment = _lock_payment(found)
    payment.contract = contract
    handler(record, payment, obj, now)
    return record
