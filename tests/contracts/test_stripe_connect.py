"""Stripe Connect: agencies connect an account; on acceptance the agency is paid out with a
Transfer in the contract's transfer group (or the payout waits for its account); a contract
terminated before delivery refunds what the owner paid online."""

import datetime as dt
import json

import pytest
from django.db import transaction

from contracts import services as contract_services
from contracts.models import Contract, Payment, PaymentEvent, Payout, StripeAccount
from contracts.payments import services
from contracts.payments.providers import stripe as stripe_provider
from contracts.signals import contract_closed
from marketplace.audit.models import AuditEntry
from marketplace.errors import NotAllowed
from tests.conftest import client_for
from tests.factories.accounts import member_of
from tests.factories.payments import (
    SECRET_KEY,
    WEBHOOK_SECRET,
    RecordedStripe,
    agency_user,
    event,
    fixture,
    owner_user,
    payable_contract,
    payment_metadata,
    post_event,
)

pytestmark = pytest.mark.django_db
ACCOUNT = "acct_1QpTestAgency00001"
INTENT_ID = "pi_1QpTestIntent00000001"


@pytest.fixture
def recorded(settings, monkeypatch):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_CURRENCY = "cny"
    client = (RecordedStripe()
              .on("POST", "/v1/checkout/sessions", fixture("checkout_session"))
              .on("POST", "/v1/transfers", fixture("transfer"))
              .on("POST", "/v1/refunds", fixture("refund"))
              .on("POST", "/v1/accounts", fixture("account"))
              .on("POST", "/v1/account_links", fixture("account_link"))
              .on("GET", f"/v1/accounts/{ACCOUNT}",
                  fixture("account", details_submitted=True, payouts_enabled=True,
                          charges_enabled=True)))
    monkeypatch.setattr(stripe_provider, "http_client_factory", lambda: client)
    return client


def paid_contract(api_client, *, status=Contract.Status.DELIVERED, price="80000.00"):
    contract = payable_contract(price=price, status=status)
    payment = services.payment_start(contract=contract, method="stripe", by=owner_user(contract))
    post_event(api_client, event("event_checkout_session_completed",
                                 id=f"evt_paid_{payment.pk}",
                                 obj={"metadata": payment_metadata(payment)}))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    return contract, payment


def ready_account(agency) -> StripeAccount:
    return StripeAccount.objects.create(organization=agency, account_id=ACCOUNT,
                                        details_submitted=True, payouts_enabled=True,
                                        charges_enabled=True)


def close(contract, status, *, delivered=True):
    """What the contracts services do when a contract closes: status, then the signal."""
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        contract.status = status
        now = dt.datetime(2026, 4, 1, 10, tzinfo=dt.UTC)
        contract.delivered_at = now if delivered else None
        if status == Contract.Status.COMPLETED:
            contract.completed_at = now
        else:
            contract.terminated_at = now
        contract.save()
        contract_closed.send(sender=Contract, contract=contract)
    return contract


def test_transfer_to_the_agency_on_acceptance(recorded, api_client,
                                              django_capture_on_commit_callbacks):
    contract, payment = paid_contract(api_client)
    ready_account(contract.agency)
    with django_capture_on_commit_callbacks(execute=True):
        close(contract, Contract.Status.COMPLETED)
    [sent] = recorded.sent("POST", "/v1/transfers")
    payout = Payout.objects.get(contract=contract)
    assert sent.form == {"amount": "8000000", "currency": "cny", "destination": ACCOUNT,
                         "transfer_group": f"contract-{contract.pk}",
                         "metadata[contract_id]": str(contract.pk),
                         "metadata[payout_id]": str(payout.pk)}
    assert sent.idempotency_key == f"payout-{payout.key}"
    assert payout.status == Payout.Status.SENT
    assert payout.stripe_transfer_id == "tr_1QpTestTransfer000001"
    assert AuditEntry.objects.filter(action="payout.sent", object_id=str(payout.pk)).exists()


def test_acceptance_through_the_contract_services_pays_out(recorded, api_client,
                                                           django_capture_on_commit_callbacks):
    contract, payment = paid_contract(api_client, status=Contract.Status.ACTIVE)
    ready_account(contract.agency)
    contract_services.contract_deliver(contract=contract, by=agency_user(contract),
                                       note="报告已提交")
    with django_capture_on_commit_callbacks(execute=True):
        contract_services.contract_accept(contract=contract, by=owner_user(contract))
    assert Payout.objects.get(contract=contract).status == Payout.Status.SENT
    assert len(recorded.sent("POST", "/v1/transfers")) == 1


def test_payout_waits_for_the_agency_account_then_goes(recorded, api_client,
                                                       django_capture_on_commit_callbacks):
    contract, payment = paid_contract(api_client)
    with django_capture_on_commit_callbacks(execute=True):
        close(contract, Contract.Status.COMPLETED)
    payout = Payout.objects.get(contract=contract)
    assert payout.status == Payout.Status.WAITING
    assert recorded.sent("POST", "/v1/transfers") == []
    # the agency connects an account; Stripe tells us when it can receive payouts
    StripeAccount.objects.create(organization=contract.agency, account_id=ACCOUNT)
    with django_capture_on_commit_callbacks(execute=True):
        post_event(api_client, event("event_account_updated"))
    payout.refresh_from_db()
    assert payout.status == Payout.Status.SENT
    assert payout.destination == ACCOUNT
    assert recorded.sent("POST", "/v1/transfers")[0].form["destination"] == ACCOUNT


def test_no_payout_without_an_online_payment(recorded, django_capture_on_commit_callbacks):
    contract = payable_contract(status=Contract.Status.DELIVERED)
    ready_account(contract.agency)
    with django_capture_on_commit_callbacks(execute=True):
        close(contract, Contract.Status.COMPLETED)
    assert not Payout.objects.exists()
    assert recorded.requests == []


def test_payment_landing_after_acceptance_is_paid_out(recorded, api_client,
                                                      django_capture_on_commit_callbacks):
    contract = payable_contract(status=Contract.Status.COMPLETED)
    ready_account(contract.agency)
    payment = services.payment_start(contract=contract, method="stripe", by=owner_user(contract))
    with django_capture_on_commit_callbacks(execute=True):
        post_event(api_client, event("event_checkout_session_completed",
                                     obj={"metadata": payment_metadata(payment)}))
    assert Payout.objects.get(contract=contract).status == Payout.Status.SENT


def test_failed_transfer_is_kept_due_and_retried(recorded, api_client,
                                                 django_capture_on_commit_callbacks):
    contract, payment = paid_contract(api_client)
    ready_account(contract.agency)
    recorded.routes[("POST", "/v1/transfers")] = [(429, fixture("error_rate_limit"))]
    with django_capture_on_commit_callbacks(execute=True):
        close(contract, Contract.Status.COMPLETED)
    payout = Payout.objects.get(contract=contract)
    assert payout.status == Payout.Status.PENDING
    assert payout.stripe_transfer_id is None
    assert payout.last_error
    recorded.routes[("POST", "/v1/transfers")] = [(200, fixture("transfer"))]
    assert services.retry_due() == 1
    payout.refresh_from_db()
    assert payout.status == Payout.Status.SENT
    keys = {r.idempotency_key for r in recorded.sent("POST", "/v1/transfers")}
    assert keys == {f"payout-{payout.key}"}  # the retry reuses the key: never two transfers
    assert services.retry_due() == 0


def test_refund_on_termination_before_delivery(recorded, api_client,
                                               django_capture_on_commit_callbacks):
    contract, payment = paid_contract(api_client, status=Contract.Status.ACTIVE)
    with django_capture_on_commit_callbacks(execute=True):
        close(contract, Contract.Status.TERMINATED, delivered=False)
    [sent] = recorded.sent("POST", "/v1/refunds")
    assert sent.form["payment_intent"] == INTENT_ID
    assert sent.idempotency_key == f"refund-{payment.key}"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert payment.stripe_refund_id == "re_1QpTestRefund00000001"
    assert not Payout.objects.exists()
    # Stripe's own charge.refunded then changes nothing more
    post_event(api_client, event("event_charge_refunded"))
    assert PaymentEvent.objects.get(event_id="evt_1QpTestRefunded0001").outcome == "ignored"


def test_termination_through_the_contract_services_refunds(recorded, api_client,
                                                           django_capture_on_commit_callbacks):
    contract, payment = paid_contract(api_client, status=Contract.Status.ACTIVE)
    with django_capture_on_commit_callbacks(execute=True):
        contract_services.contract_terminate(contract=contract, by=owner_user(contract),
                                             reason="项目取消", at_fault="owner")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert len(recorded.sent("POST", "/v1/refunds")) == 1


def test_no_refund_when_terminated_after_delivery(recorded, api_client,
                                                  django_capture_on_commit_callbacks):
    contract, payment = paid_contract(api_client)
    with django_capture_on_commit_callbacks(execute=True):
        close(contract, Contract.Status.TERMINATED, delivered=True)
    assert recorded.sent("POST", "/v1/refunds") == []
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID


def test_agency_admin_connects_an_account(recorded):
    contract = payable_contract()
    admin = agency_user(contract)
    url = services.stripe_account_connect(by=admin, refresh_url="https://zj.example.cn/r",
                                          return_url="https://zj.example.cn/b")
    assert url.startswith("https://connect.stripe.com/")
    [created] = recorded.sent("POST", "/v1/accounts")
    assert created.form["type"] == "express"
    assert created.form["metadata[uscc]"] == contract.agency.uscc
    assert created.idempotency_key == f"account-{contract.agency.uscc}"
    [link] = recorded.sent("POST", "/v1/account_links")
    assert link.form == {"account": ACCOUNT, "type": "account_onboarding",
                         "refresh_url": "https://zj.example.cn/r",
                         "return_url": "https://zj.example.cn/b"}
    account = StripeAccount.objects.get(organization=contract.agency)
    assert not account.ready
    # a second visit reuses the account and only asks for a new link
    services.stripe_account_connect(by=admin, refresh_url="x", return_url="y")
    assert len(recorded.sent("POST", "/v1/accounts")) == 1
    # back from onboarding: the account is read from Stripe
    account = services.stripe_account_refresh(by=admin)
    assert account.ready


def test_only_agency_admins_connect(recorded):
    contract = payable_contract()
    with pytest.raises(NotAllowed):
        services.stripe_account_connect(by=owner_user(contract), refresh_url="x", return_url="y")
    staff = member_of(contract.agency, role="staff")
    with pytest.raises(NotAllowed):
        services.stripe_account_connect(by=staff, refresh_url="x", return_url="y")
    assert recorded.requests == []


def test_connect_api_returns_the_onboarding_link(recorded):
    contract = payable_contract()
    response = client_for(agency_user(contract)).post("/api/v1/agencies/me/stripe-account/")
    assert response.status_code == 200, response.data
    assert response.data["url"].startswith("https://connect.stripe.com/")


# --- Bank account fingerprints (issue #15 §1: bidders sharing a bank account, CN01) ----------

FINGERPRINTS = ["1JWtPxqbdX5Gamtc", "Xn8dK2vQzR4pLm7Y"]  # the two bank accounts, not the card


def test_account_updated_records_the_bank_fingerprints_never_the_numbers(recorded, api_client):
    agency = payable_contract().agency
    StripeAccount.objects.create(organization=agency, account_id=ACCOUNT)
    response = post_event(api_client, event(
        "event_account_updated", obj={"external_accounts": fixture("external_accounts")}))
    assert response.status_code == 200
    account = StripeAccount.objects.get(organization=agency)
    assert account.bank_fingerprints == FINGERPRINTS
    assert account.ready
    stored = json.dumps(list(StripeAccount.objects.values()), default=str)
    assert "6789" not in stored and "Card4242Fingerpr" not in stored
    # the agency removes its bank accounts: an account without any keeps no fingerprint
    post_event(api_client, event("event_account_updated", id="evt_1QpTestAccountNoBank",
                                 obj={"external_accounts": fixture("account")[
                                     "external_accounts"]}))
    account.refresh_from_db()
    assert account.bank_fingerprints == []


def test_account_updated_without_external_accounts_stores_none(recorded, api_client):
    agency = payable_contract().agency
    StripeAccount.objects.create(organization=agency, account_id=ACCOUNT,
                                 bank_fingerprints=["stale0000000000"])
    post_event(api_client, event("event_account_updated"))
    assert "external_accounts" not in event("event_account_updated")["data"]["object"]
    assert StripeAccount.objects.get(organization=agency).bank_fingerprints == []


def test_refreshing_the_account_records_its_bank_fingerprints(recorded):
    contract = payable_contract()
    admin = agency_user(contract)
    StripeAccount.objects.create(organization=contract.agency, account_id=ACCOUNT)
    recorded.routes[("GET", f"/v1/accounts/{ACCOUNT}")] = []
    recorded.on("GET", f"/v1/accounts/{ACCOUNT}",
                fixture("account", details_submitted=True, payouts_enabled=True,
                        external_accounts=fixture("external_accounts")))
    account = services.stripe_account_refresh(by=admin)
    assert account.ready
    assert StripeAccount.objects.get(pk=account.pk).bank_fingerprints == FINGERPRINTS
