"""Shared pieces of the payment services: locks, checks, the ledger, the payment slot."""

import datetime as dt
import uuid

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Contract, Payment, PaymentEvent
from marketplace.accounts.models import Organization
from marketplace.actors import acting_organization
from marketplace.errors import NotAllowed, StateConflict
from marketplace.outbox.services import enqueue

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



def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _lock_contract(contract: Contract | int) -> Contract:
    return (Contract.objects.select_for_update()
            .get(pk=getattr(contract, "pk", contract)))


def _lock_payment(payment: Payment | int) -> Payment:
    return Payment.objects.select_for_update().get(pk=getattr(payment, "pk", payment))


def ensure_owner(contract: Contract, by) -> Organization:
    organization = acting_organization(by)
    if organization is None or organization.pk != contract.owner_id:
        raise NotAllowed(_("Only the contract's owner can do this."))
    return organization


def ensure_agency(contract: Contract, by) -> Organization:
    organization = acting_organization(by)
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
    from contracts.payments import tasks as payments_tasks  # tasks call services: import here
    enqueue(payments_tasks.payment_notify, event=event, **ids)


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
