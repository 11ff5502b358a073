"""Stripe Checkout: the request the official library would send for the contract amount, and
a payment that is never half-written when Stripe fails."""

import pytest

from contracts.models import Payment
from contracts.payments import services
from contracts.payments.providers import stripe as stripe_provider
from marketplace.errors import DomainError
from tests.conftest import client_for
from tests.factories.payments import (
    SECRET_KEY,
    WEBHOOK_SECRET,
    RecordedStripe,
    fixture,
    owner_user,
    payable_contract,
)

pytestmark = pytest.mark.django_db
SESSIONS = "/v1/checkout/sessions"


@pytest.fixture
def recorded(settings, monkeypatch):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_CURRENCY = "cny"
    client = RecordedStripe().on("POST", SESSIONS, fixture("checkout_session"))
    monkeypatch.setattr(stripe_provider, "http_client_factory", lambda: client)
    return client


def test_checkout_session_request_for_the_contract_amount(recorded):
    contract = payable_contract(price="80000.01")
    payment = services.payment_start(contract=contract, method="stripe", by=owner_user(contract),
                                     return_url="https://zj.example.cn/contracts/7/")
    [sent] = recorded.sent("POST", SESSIONS)
    form = sent.form
    assert form["mode"] == "payment"
    assert form["line_items[0][price_data][unit_amount]"] == "8000001"
    assert form["line_items[0][price_data][currency]"] == "cny"
    assert form["line_items[0][quantity]"] == "1"
    assert form["payment_intent_data[transfer_group]"] == f"contract-{contract.pk}"
    assert form["metadata[contract_id]"] == str(contract.pk)
    assert form["metadata[payment_id]"] == str(payment.pk)
    assert form["payment_intent_data[metadata][payment_key]"] == str(payment.key)
    assert form["success_url"] == "https://zj.example.cn/contracts/7/?checkout=success"
    assert form["cancel_url"] == "https://zj.example.cn/contracts/7/?checkout=cancel"
    assert sent.idempotency_key == f"checkout-{payment.key}"
    assert sent.headers["Authorization"] == f"Bearer {SECRET_KEY}"
    assert payment.status == Payment.Status.CHECKOUT_OPEN
    assert payment.stripe_checkout_session_id == "cs_test_a1B2c3D4e5F6g7H8i9J0"
    assert payment.checkout_url.startswith("https://checkout.stripe.com/")
    assert payment.checkout_expires_at is not None


def test_currency_comes_from_settings(recorded, settings):
    settings.STRIPE_CURRENCY = "HKD"
    contract = payable_contract()
    payment = services.payment_start(contract=contract, method="stripe", by=owner_user(contract))
    assert payment.currency == "hkd"
    assert recorded.requests[0].form["line_items[0][price_data][currency]"] == "hkd"


def test_success_url_is_absolute_to_the_contract_page_by_default(recorded, settings):
    settings.MARKETPLACE_SITE_URL = "https://zj.example.cn/"
    contract = payable_contract()
    services.payment_start(contract=contract, method="stripe", by=owner_user(contract))
    url = recorded.requests[0].form["success_url"]
    assert url.startswith("https://zj.example.cn/")
    assert f"/{contract.pk}/" in url


def test_api_returns_the_checkout_url(recorded):
    contract = payable_contract()
    response = client_for(owner_user(contract)).post(
        f"/api/v1/contracts/{contract.pk}/payments/", {"method": "stripe"}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["status"] == "checkout_open"
    assert response.data["checkout_url"].startswith("https://checkout.stripe.com/")
    assert recorded.requests[0].form["success_url"].startswith("http://testserver/")


def test_stripe_refused_when_no_key(settings, monkeypatch):
    settings.STRIPE_SECRET_KEY = ""
    client = RecordedStripe()
    monkeypatch.setattr(stripe_provider, "http_client_factory", lambda: client)
    contract = payable_contract()
    with pytest.raises(DomainError) as error:
        services.payment_start(contract=contract, method="stripe", by=owner_user(contract))
    assert error.value.field == "method"
    assert client.requests == []
    assert not Payment.objects.exists()


def test_stripe_error_leaves_no_payment(recorded):
    recorded.routes.clear()
    recorded.on("POST", SESSIONS, fixture("error_rate_limit"), status=429)
    contract = payable_contract()
    response = client_for(owner_user(contract)).post(
        f"/api/v1/contracts/{contract.pk}/payments/", {"method": "stripe"}, format="json")
    assert response.status_code == 503
    assert len(recorded.requests) == 1
    assert not Payment.objects.exists()
    # and the owner can try again
    recorded.routes.clear()
    recorded.on("POST", SESSIONS, fixture("checkout_session"))
    assert services.payment_start(contract=contract, method="stripe",
                                  by=owner_user(contract)).status == "checkout_open"


def test_an_amount_stripe_cannot_take_exactly_is_refused(recorded, settings):
    settings.STRIPE_CURRENCY = "jpy"
    contract = payable_contract(price="80000.50")
    with pytest.raises(DomainError):
        services.payment_start(contract=contract, method="stripe", by=owner_user(contract))
    assert recorded.requests == []
    assert not Payment.objects.exists()


def test_only_the_owner_sees_the_checkout_url(recorded):
    from tests.factories.payments import agency_user

    contract = payable_contract()
    payment = services.payment_start(contract=contract, method="stripe", by=owner_user(contract))
    data = client_for(agency_user(contract)).get(f"/api/v1/payments/{payment.pk}/").data
    assert data["status"] == "checkout_open"
    assert data["checkout_url"] is None


def test_an_offline_payment_not_yet_sent_is_withdrawn_to_pay_online(recorded):
    contract = payable_contract(price="80000.00")
    owner = owner_user(contract)
    offline = services.payment_start(contract=contract, method="offline", by=owner)
    online = client_for(owner).post(f"/api/v1/payments/{offline.pk}/withdraw/", format="json")
    assert online.status_code == 200 and online.json()["status"] == "withdrawn"
    payment = services.payment_start(contract=contract, method="stripe", by=owner)
    assert payment.status == Payment.Status.CHECKOUT_OPEN
    assert len(recorded.sent("POST", SESSIONS)) == 1
