"""Payments under a contract: every write and state change (issue #5 item 4).

One transaction per use case, an audit entry in each, and a ledger entry (`PaymentEvent`) for
every payment state change. Stripe calls:
- the Checkout Session is created *inside* `payment_start`, after the payment row exists (its id
  goes to Stripe's metadata) and before commit: a Stripe error rolls the payment back, so no
  half-written payment is left; if the commit itself failed, the orphan session is never shown
  to anyone, expires at Stripe, and its events are recorded as unmatched.
- transfers (payouts) and refunds run *after commit*, from the outbox (`contracts.payout_send`,
  `contracts.refund_send`); the row that says what is due is written first, the Stripe call
  carries an idempotency key derived from that row's UUID, and only its result is written back.
  A failed call leaves the row due with `last_error`; the beat task retries it.
"""

import datetime as dt
import logging
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts import payments as providers
from contracts.models import Contract, Payment, PaymentEvent, Payout, StripeAccount
from contracts.payments import states
from contracts.payments import stripe_provider as stripe_api
from contracts.payments.money import from_minor_units, to_minor_units
from marketplace.accounts.models import Organization
from marketplace.accounts.selectors import membership_of
from marketplace.audit import services as audit
from marketplace.errors import DomainError, NotAllowed, StateConflict
from marketplace.outbox.services import enqueue

logger = logging.getLogger(__name__)
Status = Payment.Status
CStatus = Contract.Status
Outcome = PaymentEvent.Outcome

# Decided: an owner may pay once the contract is in force, and until it is closed by
# acceptance (payment after acceptance is the usual term); never before signing or after a
# termination or a lapse.
PAYABLE_CONTRACT_STATUSES = frozenset({CStatus.ACTIVE, CStatus.DELIVERED, CStatus.COMPLETED})
# A payment in one of these holds the contract's one payment slot (see the model constraint).
LIVE = frozenset({Status.PENDING, Status.SENT, Status.DISPUTED, Status.CONFIRMED,
                  Status.CHECKOUT_OPEN, Status.PAID, Status.REFUNDED})


# --- helpers ---------------------------------------------------------------------------------

def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _organization(by) -> Organization | None:
    if by is None or not getattr(by, "is_authenticated", False):
        return None
    membership = membership_of(by)
    return membership.organization if membership else None


def _lock_contract(contract: Contract | int) -> Contract:
    return (Contract.objects.select_for_update()
            .get(pk=getattr(contract, "pk", contract)))


def _lock_payment(payment: Payment | int) -> Payment:
    return Payment.objects.select_for_update().get(pk=getattr(payment, "pk", payment))


def _ensure_owner(contract: Contract, by) -> Organization:
    organization = _organization(by)
    if organization is None or organization.pk != contract.owner_id:
        raise NotAllowed(_("Only the contract's owner can do this."))
    return organization


def _ensure_agency(contract: Contract, by) -> Organization:
    organization = _organization(by)
    if organization is None or organization.pk != contract.agency_id:
        raise NotAllowed(_("Only the contracted agency can do this."))
    return organization


def _ensure_offline(payment: Payment) -> None:
    if payment.provider != Payment.Provider.OFFLINE:
        raise StateConflict(_("This is an online payment; its status comes from the payment "
                              "service."))


def _ledger(payment: Payment | None, *, type: str, before: str, now: dt.datetime, actor=None,
            payload: dict | None = None, note: str = "", event_id: str | None = None,
            provider: str | None = None, outcome: str = Outcome.APPLIED) -> PaymentEvent:
    return PaymentEvent.objects.create(
        event_id=event_id or f"platform:{uuid.uuid4()}",
        provider=provider or (payment.provider if payment else Payment.Provider.STRIPE),
        type=type, payload=payload or {}, payment=payment,
        actor=actor if actor is not None and actor.is_authenticated else None,
        status_before=before, status_after=payment.status if payment else "",
        outcome=outcome, note=note, received_at=now)


def _notify_later(event: str, **ids) -> None:
    """Inbox and e-mail notices after commit (contracts.payments.notices)."""
    enqueue("contracts.payment_notify", event=event, **ids)


def _save(payment: Payment, now: dt.datetime, *fields: str) -> None:
    payment.updated_at = now
    payment.save(update_fields=["status", "updated_at", *fields])


def blocking_payment(contract: Contract, now: dt.datetime | None = None) -> Payment | None:
    """The payment that keeps another from starting: one under way or done, or a failed
    online payment whose Checkout page is still open (the owner may retry there, and a second
    session could be paid twice)."""
    now = _now(now)
    for payment in contract.payments.order_by("-created_at", "-id"):
        if payment.status in LIVE:
            return payment
        if payment.status == Status.FAILED and (payment.checkout_expires_at is None
                                                or payment.checkout_expires_at > now):
            return payment
    return None


def contract_page_path(contract_id: int) -> str:
    """The contract page (its payments section), or the payments page if it is not routed."""
    try:
        return reverse("contracts:detail", args=[contract_id])
    except NoReverseMatch:
        return reverse("payments:contract", args=[contract_id])


def contract_page_url(contract: Contract) -> str:
    """Absolute URL of the contract page (Stripe sends the owner back there)."""
    return settings.MARKETPLACE_SITE_URL.rstrip("/") + contract_page_path(contract.pk)


# --- starting a payment ----------------------------------------------------------------------

@transaction.atomic
def payment_start(*, contract: Contract | int, method: str | None, by,
                  now: dt.datetime | None = None, return_url: str | None = None) -> Payment:
    """The owner starts paying the contract price, offline (default) or through Stripe
    Checkout (only with `STRIPE_SECRET_KEY`)."""
    now = _now(now)
    contract = _lock_contract(contract)
    owner = _ensure_owner(contract, by)
    provider = providers.provider_for(method)
    if contract.status not in PAYABLE_CONTRACT_STATUSES:
        raise StateConflict(_("Payment starts once both parties have signed the contract, and "
                              "not after it was terminated."))
    existing = blocking_payment(contract, now)
    if existing is not None:
        raise StateConflict(_("This contract already has a payment (%(status)s).")
                            % {"status": existing.get_status_display()})
    if contract.price <= 0:
        raise StateConflict(_("This contract has no price to pay."))
    payment = Payment.objects.create(
        contract=contract, provider=provider.method, amount=contract.price,
        currency=providers.currency_for(provider.method), status=provider.initial_status(),
        started_by=by, created_at=now, updated_at=now)
    provider.begin(payment=payment, contract=contract,
                   return_url=return_url or contract_page_url(contract))
    payment.save()
    _ledger(payment, type="payment.started", before="", actor=by, now=now,
            payload={"method": payment.provider, "amount": str(payment.amount),
                     "currency": payment.currency,
                     "checkout_session": payment.stripe_checkout_session_id or ""})
    audit.record(action="payment.started", actor=by, organization=owner, obj=payment,
                 data={"contract": contract.pk, "method": payment.provider,
                       "amount": str(payment.amount), "currency": payment.currency,
                       "checkout_session": payment.stripe_checkout_session_id or ""}, now=now)
    return payment


# --- offline -----------------------------------------------------------------------------------

def _clean_amount(amount) -> Decimal:
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("Enter the amount transferred."), field="amount") from None
    if value != Decimal(str(amount)):
        raise DomainError(_("Enter the amount in yuan with at most two decimals."),
                          field="amount")
    return value


@transaction.atomic
def payment_mark_sent(*, payment: Payment | int, by, amount, date: dt.date, reference: str,
                      now: dt.datetime | None = None) -> Payment:
    """The owner records the bank transfer (also after a dispute, to correct it)."""
    now = _now(now)
    payment = _lock_payment(payment)
    owner = _ensure_owner(payment.contract, by)
    _ensure_offline(payment)
    before = payment.status
    states.move(payment, Status.SENT)
    value = _clean_amount(amount)
    if value != payment.amount:
        raise DomainError(_("The transfer must be for the amount due: %(amount)s.")
                          % {"amount": payment.amount}, field="amount")
    if not isinstance(date, dt.date):
        raise DomainError(_("Enter the date of the transfer."), field="date")
    if date > timezone.localdate(now):
        raise DomainError(_("The transfer date cannot be in the future."), field="date")
    reference = (reference or "").strip()
    if not reference:
        raise DomainError(_("Enter the bank's reference of the transfer."), field="reference")
    if len(reference) > 100:
        raise DomainError(_("The reference is at most 100 characters."), field="reference")
    payment.transfer_amount = value
    payment.transfer_date = date
    payment.transfer_reference = reference
    payment.sent_at = now
    _save(payment, now, "transfer_amount", "transfer_date", "transfer_reference", "sent_at")
    data = {"amount": str(value), "date": date.isoformat(), "reference": reference}
    _ledger(payment, type="offline.sent", before=before, actor=by, now=now, payload=data)
    _notify_later("sent", payment_id=payment.pk)
    audit.record(action="payment.sent", actor=by, organization=owner, obj=payment,
                 data={"contract": payment.contract_id, **data}, now=now)
    return payment


@transaction.atomic
def payment_confirm_received(*, payment: Payment | int, by, now: dt.datetime | None = None
                             ) -> Payment:
    """The agency confirms the transfer reached its account."""
    now = _now(now)
    payment = _lock_payment(payment)
    agency = _ensure_agency(payment.contract, by)
    _ensure_offline(payment)
    before = payment.status
    if before != Status.SENT:
        raise StateConflict(_("Receipt is confirmed after the owner has recorded the transfer."))
    states.move(payment, Status.CONFIRMED)
    payment.confirmed_at = now
    _save(payment, now, "confirmed_at")
    _ledger(payment, type="offline.confirmed", before=before, actor=by, now=now)
    _notify_later("confirmed", payment_id=payment.pk)
    audit.record(action="payment.confirmed", actor=by, organization=agency, obj=payment,
                 data={"contract": payment.contract_id}, now=now)
    return payment


@transaction.atomic
def payment_dispute(*, payment: Payment | int, by, reason: str,
                    now: dt.datetime | None = None) -> Payment:
    """The agency denies having received the recorded transfer, with a reason."""
    now = _now(now)
    payment = _lock_payment(payment)
    agency = _ensure_agency(payment.contract, by)
    _ensure_offline(payment)
    before = payment.status
    if before != Status.SENT:
        raise StateConflict(_("Only a recorded transfer can be disputed."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the transfer is disputed."), field="reason")
    states.move(payment, Status.DISPUTED)
    payment.disputed_at = now
    payment.dispute_reason = reason
    _save(payment, now, "disputed_at", "dispute_reason")
    _ledger(payment, type="offline.disputed", before=before, actor=by, now=now,
            payload={"reason": reason})
    _notify_later("disputed", payment_id=payment.pk)
    audit.record(action="payment.disputed", actor=by, organization=agency, obj=payment,
                 data={"contract": payment.contract_id, "reason": reason}, now=now)
    return payment


RESOLUTIONS = {"confirmed": Status.CONFIRMED, "pending": Status.PENDING}
RESOLUTION_CHOICES = [("confirmed", "confirmed"), ("pending", "pending")]


@transaction.atomic
def payment_resolve_dispute(*, payment: Payment | int, by, outcome: str, note: str,
                            now: dt.datetime | None = None) -> Payment:
    """A regulator settles a disputed transfer: `confirmed` (the money arrived) or `pending`
    (it did not: the owner has to transfer and record again)."""
    now = _now(now)
    regulator = _organization(by)
    if regulator is None or not regulator.is_regulator:
        raise NotAllowed(_("Only regulators can settle a payment dispute."))
    payment = _lock_payment(payment)
    _ensure_offline(payment)
    before = payment.status
    if before != Status.DISPUTED:
        raise StateConflict(_("This payment is not disputed."))
    if outcome not in RESOLUTIONS:
        raise DomainError(_("Choose how the dispute is settled."), field="outcome")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Explain the decision."), field="note")
    states.move(payment, RESOLUTIONS[outcome])
    if payment.status == Status.CONFIRMED:
        payment.confirmed_at = now
    _save(payment, now, "confirmed_at")
    _ledger(payment, type="offline.dispute_settled", before=before, actor=by, now=now,
            payload={"outcome": outcome, "note": note})
    _notify_later("settled", payment_id=payment.pk)
    audit.record(action="payment.dispute_settled", actor=by, organization=regulator,
                 obj=payment, data={"contract": payment.contract_id, "outcome": outcome,
                                    "note": note}, now=now)
    return payment


# --- Stripe webhook ----------------------------------------------------------------------------

def _payment_by(**lookup) -> Payment | None:
    lookup = {k: v for k, v in lookup.items() if v}
    if not lookup:
        return None
    return Payment.objects.filter(provider=Payment.Provider.STRIPE, **lookup).first()


def _metadata_key(obj: dict) -> str | None:
    key = (obj.get("metadata") or {}).get("payment_key")
    try:
        return str(uuid.UUID(key)) if key else None
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
    states.move(payment, to)
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
    event_id = str(event.get("id") or "")
    event_type = str(event.get("type") or "")
    if not event_id or not event_type:
        raise DomainError(_("Not a Stripe event."))
    try:
        with transaction.atomic():
            record = PaymentEvent.objects.create(
                event_id=event_id, provider=Payment.Provider.STRIPE, type=event_type,
                payload=event, outcome=Outcome.UNMATCHED, received_at=now)
    except IntegrityError:
        return None
    obj = (event.get("data") or {}).get("object") or {}
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
        enqueue("contracts.payout_send", payout_id=payout.pk)
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
            payout.status = Payout.Status.SENT
            payout.stripe_transfer_id = transfer_id
            payout.sent_at = now
            payout.last_error = ""
            payout.save(update_fields=["status", "stripe_transfer_id", "sent_at", "last_error"])
            _notify_later("payout_sent", payout_id=payout.pk)
            audit.record(action="payout.sent", obj=payout, organization=None,
                         data={"contract": payout.contract_id, "transfer": transfer_id,
                               "amount": str(payout.amount), "destination": payout.destination},
                         now=now)
    return payout


def _release_waiting_payouts(account: StripeAccount, now: dt.datetime) -> None:
    for payout in Payout.objects.select_for_update().filter(
            agency_id=account.organization_id, status=Payout.Status.WAITING):
        payout.status = Payout.Status.PENDING
        payout.destination = account.account_id
        payout.save(update_fields=["status", "destination"])
        enqueue("contracts.payout_send", payout_id=payout.pk)
        audit.record(action="payout.released", obj=payout, organization=None,
                     data={"contract": payout.contract_id, "destination": account.account_id},
                     now=now)


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
    enqueue("contracts.refund_send", payment_id=payment.pk)
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
            states.move(payment, Status.REFUNDED)
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


# --- Stripe Connect accounts (agencies) ---------------------------------------------------------

def _ensure_agency_admin(by) -> Organization:
    membership = membership_of(by) if by is not None and by.is_authenticated else None
    if membership is None or not membership.organization.is_agency or not membership.is_admin:
        raise NotAllowed(_("Only an administrator of an agency can connect a Stripe account."))
    return membership.organization


@transaction.atomic
def stripe_account_connect(*, by, refresh_url: str, return_url: str,
                           now: dt.datetime | None = None) -> str:
    """Create the agency's Connect account on first use, and return the Stripe onboarding
    link for it (links are single-use; ask again for a new one)."""
    now = _now(now)
    if not providers.stripe_enabled():
        raise StateConflict(_("Online payment is not available on this platform."))
    agency = _ensure_agency_admin(by)
    Organization.objects.select_for_update().get(pk=agency.pk)  # one account per agency
    account = StripeAccount.objects.filter(organization=agency).first()
    if account is None:
        account_id = stripe_api.create_account(agency,
                                               idempotency_key=f"account-{agency.uscc}")
        account = StripeAccount.objects.create(organization=agency, account_id=account_id,
                                               created_at=now, updated_at=now)
        audit.record(action="stripe_account.created", actor=by, organization=agency,
                     obj=account, data={"account": account_id}, now=now)
    return stripe_api.create_account_link(account, refresh_url=refresh_url,
                                          return_url=return_url)


def _update_account(account: StripeAccount, data: dict, now: dt.datetime) -> StripeAccount:
    was_ready = account.ready
    account.details_submitted = bool(data.get("details_submitted"))
    account.charges_enabled = bool(data.get("charges_enabled"))
    account.payouts_enabled = bool(data.get("payouts_enabled"))
    account.updated_at = now
    account.save(update_fields=["details_submitted", "charges_enabled", "payouts_enabled",
                                "updated_at"])
    if account.ready != was_ready:
        audit.record(action="stripe_account.updated", obj=account,
                     organization=account.organization,
                     data={"account": account.account_id, "ready": account.ready}, now=now)
    if account.ready:
        _release_waiting_payouts(account, now)
    return account


def stripe_account_refresh(*, by, now: dt.datetime | None = None) -> StripeAccount | None:
    """Read the agency's account from Stripe (after onboarding) and release payouts waiting
    for it. The Stripe read happens before the transaction."""
    agency = _ensure_agency_admin(by)
    account = StripeAccount.objects.filter(organization=agency).first()
    if account is None:
        return None
    data = stripe_api.retrieve_account(account.account_id)
    with transaction.atomic():
        account = StripeAccount.objects.select_for_update().get(pk=account.pk)
        return _update_account(account, data, _now(now))
