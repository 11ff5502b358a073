"""Offline payments: the owner records the transfer, the agency confirms or disputes."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Payment
from contracts.payments import states
from contracts.payments.services.common import (
    Status,
    _ensure_offline,
    _ledger,
    _lock_payment,
    _notify_later,
    _now,
    _save,
    ensure_agency,
    ensure_owner,
)
from marketplace.actors import require_regulator
from marketplace.audit import services as audit
from marketplace.errors import DomainError, StateConflict


def _clean_amount(amount) -> Decimal:
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("Enter the amount transferred."), field="amount") from None
    if value != Decimal(str(amount)):
        raise DomainError(_("Enter the amount in yuan with at most two decimals."),
                          field="amount")
    return value


def _open(payment: Payment | int, by, ensure_party, *, expected=None, refusal=""):
    """The start of every offline step: lock the row, check who acts (`ensure_party` returns
    its organization) and that the payment is offline and, with `expected`, in that state.
    Returns the locked payment, the acting organization and the status before the step."""
    payment = _lock_payment(payment)
    organization = ensure_party(payment.contract, by)
    _ensure_offline(payment)
    if expected is not None and payment.status != expected:
        raise StateConflict(refusal)
    return payment, organization, payment.status


@transaction.atomic
def payment_mark_sent(*, payment: Payment | int, by, amount, date: dt.date, reference: str,
                      now: dt.datetime | None = None) -> Payment:
    """The owner records the bank transfer (also after a dispute, to correct it)."""
    now = _now(now)
    payment, owner, before = _open(payment, by, ensure_owner)
    states.PAYMENT.move(payment, Status.SENT, save=False)
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
    payment, agency, before = _open(
        payment, by, ensure_agency, expected=Status.SENT,
        refusal=_("Receipt is confirmed after the owner has recorded the transfer."))
    states.PAYMENT.move(payment, Status.CONFIRMED, save=False)
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
    payment, agency, before = _open(payment, by, ensure_agency, expected=Status.SENT,
                                    refusal=_("Only a recorded transfer can be disputed."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the transfer is disputed."), field="reason")
    states.PAYMENT.move(payment, Status.DISPUTED, save=False)
    payment.disputed_at = now
    payment.dispute_reason = reason
    _save(payment, now, "disputed_at", "dispute_reason")
    _ledger(payment, type="offline.disputed", before=before, actor=by, now=now,
            payload={"reason": reason})
    _notify_later("disputed", payment_id=payment.pk)
    audit.record(action="payment.disputed", actor=by, organization=agency, obj=payment,
                 data={"contract": payment.contract_id, "reason": reason}, now=now)
    return payment


def ensure_regulator(contract, by):
    return require_regulator(by, message=_("Only regulators can settle a payment dispute."))


RESOLUTIONS = {"confirmed": Status.CONFIRMED, "pending": Status.PENDING}
RESOLUTION_CHOICES = [("confirmed", "confirmed"), ("pending", "pending")]


@transaction.atomic
def payment_resolve_dispute(*, payment: Payment | int, by, outcome: str, note: str,
                            now: dt.datetime | None = None) -> Payment:
    """A regulator settles a disputed transfer: `confirmed` (the money arrived) or `pending`
    (it did not: the owner has to transfer and record again)."""
    now = _now(now)
    payment, regulator, before = _open(payment, by, ensure_regulator, expected=Status.DISPUTED,
                                       refusal=_("This payment is not disputed."))
    if outcome not in RESOLUTIONS:
        raise DomainError(_("Choose how the dispute is settled."), field="outcome")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Explain the decision."), field="note")
    states.PAYMENT.move(payment, RESOLUTIONS[outcome], save=False)
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


@transaction.atomic
def payment_withdraw(*, payment: Payment | int, by, now: dt.datetime | None = None) -> Payment:
    """The owner withdraws an offline payment before recording any transfer, to pay another way
    (e.g. online once Stripe is available). Nothing was sent, so nothing needs the agency."""
    now = _now(now)
    payment, owner, before = _open(
        payment, by, ensure_owner, expected=Status.PENDING,
        refusal=_("Only a payment with no transfer recorded can be withdrawn."))
    states.PAYMENT.move(payment, Status.WITHDRAWN, save=False)
    _save(payment, now)
    _ledger(payment, type="offline.withdrawn", before=before, actor=by, now=now)
    audit.record(action="payment.withdrawn", actor=by, organization=owner, obj=payment,
                 data={"contract": payment.contract_id}, now=now)
    return payment
