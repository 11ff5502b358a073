"""Reads about payments that the pages and the API share. A payment is visible to whoever sees
its contract (the two parties and regulators); everyone else gets 404."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from contracts.models import Contract, Payment, PaymentEvent, Payout, StripeAccount
from contracts.payments import providers, states
from contracts.payments.services import PAYABLE_CONTRACT_STATUSES, blocking_payment
from contracts.selectors import contract_for_viewer
from marketplace.accounts.models import Organization
from marketplace.errors import NotFound

Status = Payment.Status


def payments_of(contract: Contract):
    return contract.payments.select_related("started_by").order_by("-created_at", "-id")


def payment_for_viewer(pk, organization: Organization | None) -> Payment:
    try:
        payment = Payment.objects.select_related("contract").get(pk=pk)
    except (Payment.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    contract_for_viewer(payment.contract_id, organization)  # 404 unless a party or regulator
    return payment


def history(payment: Payment):
    """The payment's ledger entries that changed or tried to change it, oldest first."""
    return (PaymentEvent.objects.filter(payment=payment).select_related("actor")
            .order_by("received_at", "id"))


@dataclass(frozen=True)
class PaymentActions:
    can_start: bool
    methods: tuple[str, ...]
    can_record_transfer: frozenset[int]
    can_withdraw: frozenset[int]
    can_confirm: frozenset[int]
    can_dispute: frozenset[int]
    can_resolve: frozenset[int]


def actions_for(contract: Contract, organization: Organization | None,
                payments: list[Payment], now: dt.datetime | None = None) -> PaymentActions:
    now = now or timezone.now()
    is_owner = organization is not None and organization.pk == contract.owner_id
    is_agency = organization is not None and organization.pk == contract.agency_id
    is_regulator = organization is not None and organization.is_regulator
    offline = [p for p in payments if p.provider == Payment.Provider.OFFLINE]
    return PaymentActions(
        can_start=(is_owner and contract.status in PAYABLE_CONTRACT_STATUSES
                   and blocking_payment(contract, now) is None),
        methods=tuple(providers.available_methods()),
        can_record_transfer=frozenset(
            p.pk for p in offline if is_owner and states.can_move(p, Status.SENT)),
        can_withdraw=frozenset(p.pk for p in offline if is_owner and p.status == Status.PENDING),
        can_confirm=frozenset(p.pk for p in offline if is_agency and p.status == Status.SENT),
        can_dispute=frozenset(p.pk for p in offline if is_agency and p.status == Status.SENT),
        can_resolve=frozenset(p.pk for p in offline
                              if is_regulator and p.status == Status.DISPUTED),
    )


def payout_of(contract: Contract) -> Payout | None:
    return Payout.objects.filter(contract=contract).first()


def stripe_account_of(organization: Organization) -> StripeAccount | None:
    return StripeAccount.objects.filter(organization=organization).first()
