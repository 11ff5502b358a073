"""Stripe: Checkout for the owner's payment, a signed webhook, Connect transfers and refunds.

Every call goes through `stripe_client()`, which builds the official client with the HTTP
client from `http_client_factory()`: `None` in production (the library's default), a
recorded-response client in tests. Every write carries an idempotency key derived from a
stable UUID stored before the call, so a retried call never creates a second object.
"""

import datetime as dt
import json
import logging
from collections.abc import Callable

import stripe
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import Contract, Payment, Payout, StripeAccount
from contracts.payments.money import to_minor_units
from marketplace.errors import DomainError

logger = logging.getLogger(__name__)


class ProviderUnavailable(DomainError):
    """Stripe refused or could not be reached; nothing was recorded (HTTP 503)."""

    code = "payment.provider_unavailable"
    status_code = 503
    default_message = gettext_lazy("The payment service could not be reached. Nothing was "
                                   "recorded; try again in a moment.")


def default_http_client() -> stripe.HTTPClient:
    """The library's own client (requests), with a short timeout: the Checkout call runs while
    the contract row is locked, so it must not hang for the library's default 80 s."""
    return stripe.new_default_http_client(timeout=settings.STRIPE_TIMEOUT)


# Tests replace this with a recorded-response client (a `stripe.HTTPClient` subclass).
http_client_factory: Callable[[], stripe.HTTPClient] = default_http_client


def stripe_client() -> stripe.StripeClient:
    """The one place a Stripe client is made."""
    if not settings.STRIPE_SECRET_KEY:
        raise DomainError(_("Online payment is not available on this platform."))
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, http_client=http_client_factory(),
                               max_network_retries=2)


def transfer_group(contract: Contract | int) -> str:
    return f"contract-{getattr(contract, 'pk', contract)}"


def _call(what: str, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except stripe.StripeError as exc:
        logger.warning("Stripe %s failed: %s", what, exc)
        raise ProviderUnavailable() from exc


def _from_timestamp(value) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(int(value), tz=dt.UTC) if value else None


class StripeProvider:
    method = Payment.Provider.STRIPE

    def initial_status(self) -> str:
        return Payment.Status.CHECKOUT_OPEN

    def begin(self, *, payment: Payment, contract: Contract, return_url: str) -> None:
        """Create the Checkout Session for the payment's amount (inside the start transaction:
        if Stripe fails, the payment row is rolled back; the idempotency key is the payment's
        UUID, so a retried request reuses the same session)."""
        metadata = {"contract_id": str(contract.pk), "payment_id": str(payment.pk),
                    "payment_key": str(payment.key)}
        separator = "&" if "?" in return_url else "?"
        params = {
            "mode": "payment",
            "client_reference_id": str(payment.key),
            "line_items": [{
                "quantity": 1,
                "price_data": {
                    "currency": payment.currency,
                    "unit_amount": to_minor_units(payment.amount, payment.currency),
                    "product_data": {"name": str(contract.project)[:250]},
                },
            }],
            "payment_intent_data": {"transfer_group": transfer_group(contract),
                                    "metadata": metadata},
            "metadata": metadata,
            "success_url": f"{return_url}{separator}checkout=success",
            "cancel_url": f"{return_url}{separator}checkout=cancel",
        }
        session = _call("checkout", stripe_client().v1.checkout.sessions.create, params=params,
                        options={"idempotency_key": f"checkout-{payment.key}"})
        payment.stripe_checkout_session_id = session.id
        payment.checkout_url = session.url or ""
        payment.checkout_expires_at = _from_timestamp(getattr(session, "expires_at", None))


def create_transfer(payout: Payout) -> str:
    """Pay the agency's share out to its connected account; returns the Transfer id."""
    transfer = _call("transfer", stripe_client().v1.transfers.create, params={
        "amount": to_minor_units(payout.amount, payout.currency),
        "currency": payout.currency,
        "destination": payout.destination,
        "transfer_group": payout.transfer_group,
        "metadata": {"contract_id": str(payout.contract_id), "payout_id": str(payout.pk)},
    }, options={"idempotency_key": f"payout-{payout.key}"})
    return transfer.id


def create_refund(payment: Payment):
    """Refund the whole payment; returns the Refund object (id, status)."""
    return _call("refund", stripe_client().v1.refunds.create, params={
        "payment_intent": payment.stripe_payment_intent_id,
        "metadata": {"contract_id": str(payment.contract_id), "payment_id": str(payment.pk)},
    }, options={"idempotency_key": f"refund-{payment.key}"})


def create_account(organization, *, idempotency_key: str) -> str:
    params = {
        "type": "express",
        "email": organization.email or None,
        "business_profile": {"name": organization.name},
        "metadata": {"organization_id": str(organization.pk), "uscc": organization.uscc},
    }
    country = getattr(settings, "STRIPE_CONNECT_COUNTRY", "")
    if country:
        params["country"] = country
    params = {k: v for k, v in params.items() if v is not None}
    account = _call("account", stripe_client().v1.accounts.create, params=params,
                    options={"idempotency_key": idempotency_key})
    return account.id


def create_account_link(account: StripeAccount, *, refresh_url: str, return_url: str) -> str:
    link = _call("account link", stripe_client().v1.account_links.create, params={
        "account": account.account_id, "type": "account_onboarding",
        "refresh_url": refresh_url, "return_url": return_url})
    return link.url


def retrieve_account(account_id: str) -> dict:
    """What `_update_account` reads of the account, as the webhook's `data.object` has it:
    readiness flags and `external_accounts` (its bank accounts, with their fingerprints)."""
    account = _call("account", stripe_client().v1.accounts.retrieve, account_id)
    external = getattr(account, "external_accounts", None)
    return {"details_submitted": bool(getattr(account, "details_submitted", False)),
            "charges_enabled": bool(getattr(account, "charges_enabled", False)),
            "payouts_enabled": bool(getattr(account, "payouts_enabled", False)),
            "external_accounts": external.to_dict() if external is not None else None}


def verify_event(payload: bytes, signature: str | None):
    """The event's JSON, after checking its signature with `STRIPE_WEBHOOK_SECRET`
    (or `STRIPE_CONNECT_WEBHOOK_SECRET`: Stripe sends connected accounts' events, such as
    `account.updated`, from a separate endpoint with its own secret).
    Raises `stripe.SignatureVerificationError` or `ValueError` (no secret) or
    `UnicodeDecodeError`; a correctly signed body that is not JSON raises `MalformedEvent`.
    What the JSON holds is the service's to check (`stripe_event_receive`)."""
    secrets = [s for s in (settings.STRIPE_WEBHOOK_SECRET,
                           getattr(settings, "STRIPE_CONNECT_WEBHOOK_SECRET", "")) if s]
    if not secrets:
        raise ValueError("STRIPE_WEBHOOK_SECRET is not set")
    if not signature:
        raise stripe.SignatureVerificationError("No signature", signature, payload)
    text = payload.decode("utf-8")
    for secret in secrets[:-1]:
        try:
            stripe.WebhookSignature.verify_header(text, signature, secret,
                                                  stripe.Webhook.DEFAULT_TOLERANCE)
            break
        except stripe.SignatureVerificationError:
            continue
    else:
        stripe.WebhookSignature.verify_header(text, signature, secrets[-1],
                                              stripe.Webhook.DEFAULT_TOLERANCE)
    try:
        return json.loads(text)
    except ValueError as exc:
        raise MalformedEvent(_("The body is not JSON.")) from exc


class MalformedEvent(DomainError):
    """A correctly signed webhook body that is not a Stripe event we can read (HTTP 400)."""

    code = "payment.webhook_malformed"
    default_message = gettext_lazy("The Stripe event is malformed.")
