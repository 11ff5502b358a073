"""Starting a payment (the owner), by the configured provider."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from contracts.models import Contract, Payment
from contracts.payments import providers
from contracts.payments.services.common import (
    PAYABLE_CONTRACT_STATUSES,
    _ledger,
    _lock_contract,
    _now,
    blocking_payment,
    contract_page_url,
    ensure_owner,
)
from marketplace.audit import services as audit
from marketplace.errors import StateConflict


@transaction.atomic
def payment_start(*, contract: Contract | int, method: str | None, by,
                  now: dt.datetime | None = None, return_url: str | None = None) -> Payment:
    """The owner starts paying the contract price, offline (default) or through Stripe
    Checkout (only with `STRIPE_SECRET_KEY`)."""
    now = _now(now)
    contract = _lock_contract(contract)
    owner = ensure_owner(contract, by)
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
