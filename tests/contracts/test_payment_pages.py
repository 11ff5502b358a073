"""Payment pages: the payments section on the contract page, the offline steps through forms,
Stripe's "pay now" link, and the agency's Stripe Connect page."""

import time

import pytest
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from contracts.models import Payment, StripeAccount
from contracts.payments import services
from contracts.payments.providers import stripe as stripe_provider
from tests.factories.accounts import PASSWORD, RegulatorFactory, member_of
from tests.factories.payments import (
    SECRET_KEY,
    WEBHOOK_SECRET,
    RecordedStripe,
    agency_user,
    fixture,
    owner_user,
    payable_contract,
)

pytestmark = pytest.mark.django_db
Status = Payment.Status


def browser(user) -> Client:
    client = Client()
    assert client.login(request=HttpRequest(), username=user.get_username(), password=PASSWORD)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def contract():
    return payable_contract()


@pytest.fixture
def recorded(settings, monkeypatch):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    client = (RecordedStripe()
              .on("POST", "/v1/checkout/sessions",
                  fixture("checkout_session", expires_at=int(time.time()) + 86400))
              .on("POST", "/v1/accounts", fixture("account"))
              .on("POST", "/v1/account_links", fixture("account_link"))
              .on("GET", "/v1/accounts/acct_1QpTestAgency00001",
                  fixture("account", details_submitted=True, payouts_enabled=True)))
    monkeypatch.setattr(stripe_provider, "http_client_factory", lambda: client)
    return client


def test_contract_page_shows_the_payments_section(contract):
    page = browser(owner_user(contract)).get(f"/workspace/contracts/{contract.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="pay-heading"' in html
    assert f"/workspace/contracts/{contract.pk}/payments/start/" in html
    # the agency sees the section but cannot start a payment
    page = browser(agency_user(contract)).get(f"/workspace/contracts/{contract.pk}/")
    assert f"/workspace/contracts/{contract.pk}/payments/start/" not in page.content.decode()


def test_offline_flow_through_the_pages(contract):
    owner = browser(owner_user(contract))
    response = owner.post(f"/workspace/contracts/{contract.pk}/payments/start/",
                          {"method": "offline"})
    assert response.status_code == 302
    payment = Payment.objects.get(contract=contract)
    page = owner.get(response.url)
    assert f"/workspace/payments/{payment.pk}/record/" in page.content.decode()
    response = owner.post(f"/workspace/payments/{payment.pk}/record/",
                          {"amount": "80000.00", "date": "2099-01-01", "reference": "R1"})
    assert response.status_code == 400
    assert "The transfer date cannot be in the future." in response.content.decode()
    assert "future" in response.content.decode()
    response = owner.post(f"/workspace/payments/{payment.pk}/record/",
                          {"amount": "80000.00", "date": timezone.localdate().isoformat(),
                           "reference": "ICBC-1"})
    assert response.status_code == 302
    agency = browser(agency_user(contract))
    page = agency.get(f"/workspace/contracts/{contract.pk}/").content.decode()
    assert f"/workspace/payments/{payment.pk}/confirm/" in page
    assert "ICBC-1" in page
    assert agency.post(f"/workspace/payments/{payment.pk}/confirm/").status_code == 302
    payment.refresh_from_db()
    assert payment.status == Status.CONFIRMED
    page = agency.get(f"/workspace/contracts/{contract.pk}/").content.decode()
    assert "Status history" in page and "Receipt confirmed by the agency" in page


def test_the_owner_withdraws_an_unsent_payment_from_the_page(contract):
    payment = services.payment_start(contract=contract, method="offline",
                                     by=owner_user(contract))
    owner = browser(owner_user(contract))
    withdraw = f"/workspace/payments/{payment.pk}/withdraw/"
    assert withdraw in owner.get(f"/workspace/contracts/{contract.pk}/").content.decode()
    assert withdraw not in browser(agency_user(contract)).get(
        f"/workspace/contracts/{contract.pk}/").content.decode()
    assert owner.post(withdraw).status_code == 302
    page = owner.get(f"/workspace/contracts/{contract.pk}/").content.decode()
    assert "Withdrawn by the owner before paying" in page
    assert f"/workspace/contracts/{contract.pk}/payments/start/" in page  # pay another way


def test_dispute_and_settle_through_the_pages(contract):
    payment = services.payment_start(contract=contract, method="offline",
                                     by=owner_user(contract))
    services.payment_mark_sent(payment=payment, by=owner_user(contract), amount="80000.00",
                               date=timezone.localdate(), reference="R")
    agency = browser(agency_user(contract))
    assert agency.get(f"/workspace/payments/{payment.pk}/dispute/").status_code == 200
    response = agency.post(f"/workspace/payments/{payment.pk}/dispute/", {"reason": "未到账"})
    assert response.status_code == 302
    regulator = browser(member_of(RegulatorFactory()))
    page = regulator.get(f"/workspace/contracts/{contract.pk}/").content.decode()
    assert f"/workspace/payments/{payment.pk}/resolve/" in page
    response = regulator.post(f"/workspace/payments/{payment.pk}/resolve/",
                              {"outcome": "pending", "note": "银行未入账"})
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == Status.PENDING


def test_strangers_get_404(contract):
    payment = services.payment_start(contract=contract, method="offline",
                                     by=owner_user(contract))
    stranger = browser(owner_user(payable_contract()))
    assert stranger.post(f"/workspace/payments/{payment.pk}/confirm/").status_code == 404
    assert stranger.get(f"/workspace/payments/{payment.pk}/record/").status_code == 404
    assert stranger.post(f"/workspace/contracts/{contract.pk}/payments/start/",
                         {"method": "offline"}).status_code == 404
    agency = browser(agency_user(contract))
    assert agency.post(f"/workspace/payments/{payment.pk}/record/",
                       {"amount": "80000.00", "date": timezone.localdate().isoformat(),
                        "reference": "X"}).status_code == 403
    payment.refresh_from_db()
    assert payment.status == Status.PENDING


def test_stripe_start_redirects_to_checkout_and_shows_pay_now(contract, recorded):
    owner = browser(owner_user(contract))
    page = owner.get(f"/workspace/contracts/{contract.pk}/").content.decode()
    assert 'value="stripe"' in page
    response = owner.post(f"/workspace/contracts/{contract.pk}/payments/start/",
                          {"method": "stripe"})
    assert response.status_code == 302
    assert response.url.startswith("https://checkout.stripe.com/")
    success = recorded.requests[0].form["success_url"]
    assert success == f"http://testserver/workspace/contracts/{contract.pk}/?checkout=success"
    page = owner.get(f"/workspace/contracts/{contract.pk}/?checkout=success").content.decode()
    assert "Pay now" in page and "https://checkout.stripe.com/" in page
    assert "as soon as Stripe confirms" in page


def test_stripe_not_offered_without_keys(contract, settings):
    settings.STRIPE_SECRET_KEY = ""
    page = browser(owner_user(contract)).get(f"/workspace/contracts/{contract.pk}/")
    assert 'value="stripe"' not in page.content.decode()


def test_agency_connect_page(contract, recorded):
    admin = browser(agency_user(contract))
    page = admin.get("/workspace/stripe/")
    assert page.status_code == 200
    assert "Connect a Stripe account" in page.content.decode()
    response = admin.post("/workspace/stripe/")
    assert response.status_code == 302
    assert response.url.startswith("https://connect.stripe.com/")
    link = recorded.sent("POST", "/v1/account_links")[0].form
    assert link["return_url"] == "http://testserver/workspace/stripe/return/"
    response = admin.get("/workspace/stripe/return/")
    assert response.status_code == 302
    assert StripeAccount.objects.get(organization=contract.agency).ready
    workspace = admin.get("/workspace/").content.decode()
    assert "/workspace/stripe/" in workspace


def test_connect_page_is_for_agencies(contract):
    assert browser(owner_user(contract)).get("/workspace/stripe/").status_code == 404
