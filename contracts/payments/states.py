"""The payment and payout state machines: the tables; `marketplace.states` moves.

Offline: pending → withdrawn (the owner chose another way to pay before transferring);
pending → sent (the owner recorded the transfer) → confirmed (the agency confirms
receipt) or disputed (the agency denies it); a dispute is resolved by the owner re-recording
(→ sent) or by a regulator (→ confirmed, or → pending: the money did not arrive).
Stripe: checkout_open → paid | failed; failed → paid (the customer retried on the same Checkout
page); paid → refunded. Nothing moves backwards: a late `payment_failed` never un-pays.
"""

from contracts.models import Payment, Payout
from marketplace.states import Transitions

Status = Payment.Status

PAYMENT = Transitions(Payment, {
    Status.PENDING: {Status.SENT, Status.WITHDRAWN},
    Status.WITHDRAWN: set(),
    Status.SENT: {Status.CONFIRMED, Status.DISPUTED},
    Status.DISPUTED: {Status.SENT, Status.CONFIRMED, Status.PENDING},
    Status.CONFIRMED: set(),
    Status.CHECKOUT_OPEN: {Status.PAID, Status.FAILED},
    Status.FAILED: {Status.PAID},
    Status.PAID: {Status.REFUNDED},
    Status.REFUNDED: set(),
})
ALLOWED = PAYMENT.allowed

SETTLED = Payment.SETTLED

# The agency's share of a Stripe payment: held until the agency has a Stripe account, then
# transferred once.
PAYOUT = Transitions(Payout, {
    Payout.Status.WAITING: {Payout.Status.PENDING},
    Payout.Status.PENDING: {Payout.Status.SENT},
    Payout.Status.SENT: set(),
})


def can_move(payment: Payment, to: str) -> bool:
    return PAYMENT.can_move(payment, to)
