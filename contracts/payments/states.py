"""The payment state machine: one table, one function (like `bidding.states`).

Offline: pending → withdrawn (the owner chose another way to pay before transferring);
pending → sent (the owner recorded the transfer) → confirmed (the agency confirms
receipt) or disputed (the agency denies it); a dispute is resolved by the owner re-recording
(→ sent) or by a regulator (→ confirmed, or → pending: the money did not arrive).
Stripe: checkout_open → paid | failed; failed → paid (the customer retried on the same Checkout
page); paid → refunded. Nothing moves backwards: a late `payment_failed` never un-pays.
"""

from contracts.models import Payment
from marketplace.errors import InvalidTransition

Status = Payment.Status

ALLOWED: dict[str, frozenset[str]] = {
    Status.PENDING: frozenset({Status.SENT, Status.WITHDRAWN}),
    Status.WITHDRAWN: frozenset(),
    Status.SENT: frozenset({Status.CONFIRMED, Status.DISPUTED}),
    Status.DISPUTED: frozenset({Status.SENT, Status.CONFIRMED, Status.PENDING}),
    Status.CONFIRMED: frozenset(),
    Status.CHECKOUT_OPEN: frozenset({Status.PAID, Status.FAILED}),
    Status.FAILED: frozenset({Status.PAID}),
    Status.PAID: frozenset({Status.REFUNDED}),
    Status.REFUNDED: frozenset(),
}

# Paid in full (the contract's money has moved to, or for, the agency).
SETTLED = frozenset({Status.CONFIRMED, Status.PAID})


def can_move(payment: Payment, to: str) -> bool:
    return to in ALLOWED[payment.status]


def move(payment: Payment, to: str) -> None:
    """Set the status if the table allows it; the caller holds the row lock and saves."""
    if not can_move(payment, to):
        raise InvalidTransition(Status(payment.status), Status(to))
    payment.status = to
