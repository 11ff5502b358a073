"""Payments under a contract, in one package (docs/decisions.md "Payments as one package").

- `models.py`: Payment, PaymentEvent (the ledger), Payout, StripeAccount; registered in the
  `contracts` app, which re-exports them from `contracts.models`.
- `services/`: every write, one module per use case area (`start`, `offline_payments`,
  `stripe_events`, `transfers` (payouts and refunds), `connect`; helpers in `common`); the
  package re-exports them.
- `selectors.py` reads, `states.py` the status tables, `money.py` Decimal ↔ minor units.
- `providers/`: the provider interface (`provider_for`, `available_methods`) and its adapters,
  `offline.py` and `stripe.py` (Checkout, webhook verification, Connect, transfers, refunds).
- `notices.py` and `tasks.py` (Celery, explicit task names) run after commit.
- `views.py` + `forms.py` + `urls.py` the pages, `api.py` the REST endpoints and their routes.
- Elsewhere because Django looks for them there: the `{% payments_section %}` tag in
  `contracts/templatetags/contract_payments.py`, templates in
  `contracts/templates/contracts/payments/`, migrations in `contracts/migrations/`.
"""
