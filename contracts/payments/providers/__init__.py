"""The payment providers behind one interface (DESIGN §2, payments row).

`offline` (bank transfer recorded by both parties) is always available and the default;
`stripe` (Checkout, a verified webhook, Connect payouts) only when `STRIPE_SECRET_KEY` is set.
Services choose a provider with `provider_for(method)` and call `begin(...)`; everything else a
provider does (webhooks, transfers, refunds) is specific to it and lives in its module.
"""

from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _

from contracts.models import Contract, Payment
from marketplace.errors import DomainError

OFFLINE = Payment.Provider.OFFLINE
STRIPE = Payment.Provider.STRIPE
DEFAULT_METHOD = OFFLINE


class Provider(Protocol):
    method: str

    def initial_status(self) -> str: ...

    def begin(self, *, payment: Payment, contract: Contract, return_url: str) -> None:
        """Prepare the saved payment at the provider (fill its provider fields; the caller
        saves). Runs inside the start transaction: raising rolls the payment back."""


def stripe_enabled() -> bool:
    return bool(getattr(settings, "STRIPE_SECRET_KEY", ""))


def available_methods() -> list[str]:
    return [OFFLINE, STRIPE] if stripe_enabled() else [OFFLINE]


def currency_for(method: str) -> str:
    if method == STRIPE:
        return settings.STRIPE_CURRENCY.lower()
    return getattr(settings, "MARKETPLACE_PAYMENT_CURRENCY", "cny").lower()


def provider_for(method: str | None) -> Provider:
    method = method or DEFAULT_METHOD
    if method == OFFLINE:
        from contracts.payments.providers.offline import OfflineProvider

        return OfflineProvider()
    if method == STRIPE:
        if not stripe_enabled():
            raise DomainError(_("Online payment is not available on this platform."),
                              field="method")
        from contracts.payments.providers.stripe import StripeProvider

        return StripeProvider()
    raise DomainError(_("Choose a payment method."), field="method")
