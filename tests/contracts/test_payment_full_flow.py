"""A drawn-up contract carried to completion and payment through the API only: offline, and
with Stripe keys through Checkout, the signed webhook, Connect and the transfer."""

import datetime as dt
import time

import pytest
import time_machine
from django.utils import timezone

from contracts.models import Payout
from contracts.payments.providers import stripe as stripe_provider
from tests.conftest import client_for
from tests.factories.accounts import PASSWORD
from tests.factories.bidding import user_of
from tests.factories.contracts import contract_awaiting_signatures
from tests.factories.payments import (
    SECRET_KEY,
    WEBHOOK_SECRET,
    RecordedStripe,
    event,
    fixture,
    post_event,
)

pytestmark = pytest.mark.django_db


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def sign_both(contract, owner, agency):
    for client in (agency, owner):
        signed = ok(client.post(f"/api/v1/contracts/{contract.pk}/sign/",
                                {"password": PASSWORD}, format="json"))
    assert signed["status"] == "active"


def test_offline_payment_and_acceptance_through_the_api(django_capture_on_commit_callbacks):
    contract = contract_awaiting_signatures()
    owner, agency = client_for(user_of(contract.owner)), client_for(user_of(contract.agency))
    with time_machine.travel(contract.created_at + dt.timedelta(hours=1), tick=False) as clock:
        sign_both(contract, owner, agency)
        payment = ok(owner.post(f"/api/v1/contracts/{contract.pk}/payments/",
                                {"method": "offline"}, format="json"), 201)
        ok(owner.post(f"/api/v1/payments/{payment['id']}/confirm/",
                      {"amount": str(contract.price), "date": timezone.localdate().isoformat(),
                       "reference": "ICBC-20260315"}, format="json"))
        assert ok(agency.post(f"/api/v1/payments/{payment['id']}/confirm/", {},
                              format="json"))["status"] == "confirmed"
        clock.shift(dt.timedelta(days=5))
        ok(agency.post(f"/api/v1/contracts/{contract.pk}/deliver/", {"note": "报告书"},
                       format="multipart"))
        with django_capture_on_commit_callbacks(execute=True):
            assert ok(owner.post(f"/api/v1/contracts/{contract.pk}/accept/"))["status"] == (
                "completed")
    assert not Payout.objects.exists()  # offline money went straight to the agency
    payments = ok(owner.get(f"/api/v1/contracts/{contract.pk}/payments/"))
    assert [p["status"] for p in payments] == ["confirmed"]


def test_stripe_checkout_webhook_and_transfer_through_the_api(
        settings, monkeypatch, django_capture_on_commit_callbacks, api_client):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    contract = contract_awaiting_signatures()
    account = "acct_1QpTestAgency00001"
    with time_machine.travel(contract.created_at + dt.timedelta(hours=1), tick=False) as clock:
        recorded = (RecordedStripe()
                    .on("POST", "/v1/checkout/sessions",
                        fixture("checkout_session", expires_at=int(time.time()) + 86400))
                    .on("POST", "/v1/accounts", fixture("account"))
                    .on("POST", "/v1/account_links", fixture("account_link"))
                    .on("POST", "/v1/transfers", fixture("transfer")))
        monkeypatch.setattr(stripe_provider, "http_client_factory", lambda: recorded)
        owner, agency = client_for(user_of(contract.owner)), client_for(user_of(contract.agency))
        sign_both(contract, owner, agency)
        # the agency connects its Stripe account
        link = ok(agency.post("/api/v1/agencies/me/stripe-account/"))
        assert link["url"].startswith("https://connect.stripe.com/")
        # the owner pays on Stripe's page
        payment = ok(owner.post(f"/api/v1/contracts/{contract.pk}/payments/",
                                {"method": "stripe"}, format="json"), 201)
        assert payment["checkout_url"].startswith("https://checkout.stripe.com/")
        checkout = recorded.sent("POST", "/v1/checkout/sessions")[0].form
        assert checkout["line_items[0][price_data][unit_amount]"] == str(
            int(contract.price * 100))
        metadata = {"contract_id": str(contract.pk), "payment_id": str(payment["id"]),
                    "payment_key": checkout["metadata[payment_key]"]}
        ok(post_event(api_client, event(
            "event_checkout_session_completed",
            obj={"metadata": metadata, "amount_total": int(contract.price * 100)})))
        assert ok(owner.get(f"/api/v1/payments/{payment['id']}/"))["status"] == "paid"
        # Stripe says the agency's account can receive payouts
        ok(post_event(api_client, event("event_account_updated")))
        clock.shift(dt.timedelta(days=5))
        ok(agency.post(f"/api/v1/contracts/{contract.pk}/deliver/", {"note": "报告书"},
                       format="multipart"))
        with django_capture_on_commit_callbacks(execute=True):
            ok(owner.post(f"/api/v1/contracts/{contract.pk}/accept/"))
    [transfer] = recorded.sent("POST", "/v1/transfers")
    assert transfer.form["amount"] == str(int(contract.price * 100))
    assert transfer.form["destination"] == account
    assert transfer.form["transfer_group"] == f"contract-{contract.pk}"
    assert Payout.objects.get(contract=contract).status == "sent"
