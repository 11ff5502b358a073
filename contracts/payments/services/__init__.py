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

from contracts.payments.services.common import (
    LIVE,
    PAYABLE_CONTRACT_STATUSES,
    blocking_payment,
    contract_page_path,
    contract_page_url,
)
from contracts.payments.services.connect import stripe_account_connect, stripe_account_refresh
from contracts.payments.services.offline_payments import (
    RESOLUTION_CHOICES,
    RESOLUTIONS,
    payment_confirm_received,
    payment_dispute,
    payment_mark_sent,
    payment_resolve_dispute,
    payment_withdraw,
)
from contracts.payments.services.start import payment_start
from contracts.payments.services.stripe_events import stripe_event_receive
from contracts.payments.services.transfers import (
    on_contract_closed,
    payout_send,
    refund_on_termination,
    refund_send,
    retry_due,
    schedule_payout,
)

__all__ = [
    "LIVE", "PAYABLE_CONTRACT_STATUSES", "RESOLUTIONS", "RESOLUTION_CHOICES",
    "blocking_payment", "contract_page_path", "contract_page_url", "on_contract_closed",
    "payment_confirm_received", "payment_dispute", "payment_mark_sent", "payment_resolve_dispute",
    "payment_start", "payment_withdraw", "payout_send", "refund_on_termination", "refund_send",
    "retry_due", "schedule_payout", "stripe_account_connect", "stripe_account_refresh",
    "stripe_event_receive",
]
