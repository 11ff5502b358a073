"""The Stripe webhook: real signed payloads; a bad or missing signature is refused with nothing
recorded; each event is recorded once; out-of-order events never move a payment backwards."""

import json
import threading
import time

import pytest
from django.db import connection

from contracts.models import Payment, PaymentEvent
from contracts.payments import services
from contracts.payments.providers import stripe as stripe_provider
from marketplace.audit.models import AuditEntry
from marketplace.errors import StateConflict
from tests.factories.payments import (
    SECRET_KEY,
    WEBHOOK_SECRET,
    RecordedStripe,
    event,
    fixture,
    owner_user,
    payable_contract,
    payment_metadata,
    post_event,
    signature_header,
)

Status = Payment.Status
SESSION_ID = "cs_test_a1B2c3D4e5F6g7H8i9J0"
INTENT_ID = "pi_1QpTestIntent00000001"


@pytest.fixture
def recorded(settings, monkeypatch):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_CURRENCY = "cny"
    # The Checkout page stays open for a day, as Stripe's default.
    client = RecordedStripe().on("POST", "/v1/checkout/sessions",
                                 fixture("checkout_session", expires_at=int(time.time()) + 86400))
    monkeypatch.setattr(stripe_provider, "http_client_factory", lambda: client)
    return client


@pytest.fixture
def payment(db, recorded):
    contract = payable_contract()
    return services.payment_start(contract=contract, method="stripe", by=owner_user(contract))


def completed(payment, event_id="evt_1QpTestCompleted0001", **obj):
    return event("event_checkout_session_completed", id=event_id,
                 obj={"metadata": payment_metadata(payment), **obj})


def failed(payment, event_id="evt_1QpTestPiFailed00001"):
    return event("event_payment_intent_payment_failed", id=event_id,
                 obj={"metadata": payment_metadata(payment)})


@pytest.mark.django_db
def test_completed_checkout_marks_the_payment_paid(payment, api_client):
    response = post_event(api_client, completed(payment))
    assert response.status_code == 200
    assert response.data == {"received": True, "duplicate": False}
    payment.refresh_from_db()
    assert payment.status == Status.PAID
    assert payment.stripe_payment_intent_id == INTENT_ID
    assert payment.paid_at is not None
    record = PaymentEvent.objects.get(event_id="evt_1QpTestCompleted0001")
    assert (record.payment, record.status_before, record.status_after, record.outcome) == (
        payment, "checkout_open", "paid", "applied")
    assert record.payload["type"] == "checkout.session.completed"
    assert AuditEntry.objects.filter(action="payment.paid", object_id=str(payment.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["", "t=1,v1=deadbeef", None])
def test_bad_or_missing_signature_is_refused_and_nothing_recorded(payment, api_client, header):
    data = completed(payment)
    if header is None:  # signed with another secret
        response = post_event(api_client, data, secret="whsec_someone_else")
    else:
        response = post_event(api_client, data, header=header)
    assert response.status_code == 400
    assert response.json()["code"] == "payment.webhook_signature_invalid"
    assert list(PaymentEvent.objects.values_list("type", flat=True)) == ["payment.started"]
    payment.refresh_from_db()
    assert payment.status == Status.CHECKOUT_OPEN


@pytest.mark.django_db
def test_tampered_payload_is_refused(payment, api_client):
    payload = json.dumps(completed(payment))
    header = signature_header(payload)
    tampered = payload.replace('"paid"', '"unpaid"', 1)
    response = api_client.post("/api/v1/payments/stripe/webhook/", data=tampered,
                               content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400
    assert response.json()["code"] == "payment.webhook_signature_invalid"
    assert not PaymentEvent.objects.filter(event_id="evt_1QpTestCompleted0001").exists()


@pytest.mark.django_db
def test_old_signature_is_refused(payment, api_client):
    payload = json.dumps(completed(payment))
    header = signature_header(payload, timestamp=int(time.time()) - 3600)
    response = api_client.post("/api/v1/payments/stripe/webhook/", data=payload,
                               content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400


@pytest.mark.django_db
def test_missing_webhook_secret_refuses_everything(payment, api_client, settings):
    data = completed(payment)
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = post_event(api_client, data)
    assert (response.status_code, response.json()["code"]) == (
        400, "payment.webhook_signature_invalid")
    assert not PaymentEvent.objects.filter(event_id=data["id"]).exists()


@pytest.mark.django_db
def test_replay_is_a_no_op(payment, api_client):
    data = completed(payment)
    assert post_event(api_client, data).data["duplicate"] is False
    audits = AuditEntry.objects.count()
    response = post_event(api_client, data)
    assert response.status_code == 200
    assert response.data["duplicate"] is True
    assert PaymentEvent.objects.filter(event_id=data["id"]).count() == 1
    assert AuditEntry.objects.count() == audits


@pytest.mark.django_db
def test_late_failure_does_not_unpay(payment, api_client):
    post_event(api_client, completed(payment))
    response = post_event(api_client, failed(payment))
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == Status.PAID
    assert payment.failure_message == ""
    record = PaymentEvent.objects.get(event_id="evt_1QpTestPiFailed00001")
    assert record.outcome == "ignored"
    assert (record.status_before, record.status_after) == ("paid", "paid")


@pytest.mark.django_db
def test_failure_then_success_on_the_same_page(payment, api_client):
    post_event(api_client, failed(payment))
    payment.refresh_from_db()
    assert payment.status == Status.FAILED
    assert payment.failure_message == "Your card has insufficient funds."
    # the Checkout page is still open: no second payment meanwhile
    contract = payment.contract
    with pytest.raises(StateConflict):
        services.payment_start(contract=contract, method="stripe", by=owner_user(contract))
    post_event(api_client, completed(payment))
    payment.refresh_from_db()
    assert payment.status == Status.PAID


@pytest.mark.django_db
def test_expired_page_frees_the_contract_for_a_new_payment(payment, api_client):
    expired = event("event_checkout_session_completed", id="evt_expired_1",
                    type="checkout.session.expired",
                    obj={"metadata": payment_metadata(payment), "payment_status": "unpaid",
                         "status": "expired", "payment_intent": None})
    post_event(api_client, expired)
    payment.refresh_from_db()
    assert payment.status == Status.FAILED
    contract = payment.contract
    again = services.payment_start(contract=contract, method="offline", by=owner_user(contract))
    assert again.status == Status.PENDING


@pytest.mark.django_db
def test_completed_but_unpaid_session_waits(payment, api_client):
    post_event(api_client, completed(payment, payment_status="unpaid"))
    payment.refresh_from_db()
    assert payment.status == Status.CHECKOUT_OPEN
    assert payment.stripe_payment_intent_id == INTENT_ID


@pytest.mark.django_db
def test_refund_event_before_payment_is_ignored_then_applies_after(payment, api_client):
    post_event(api_client, completed(payment))
    partial = event("event_charge_refunded", id="evt_partial",
                    obj={"amount_refunded": 100, "refunded": False})
    post_event(api_client, partial)
    payment.refresh_from_db()
    assert payment.status == Status.PAID
    post_event(api_client, event("event_charge_refunded"))
    payment.refresh_from_db()
    assert payment.status == Status.REFUNDED
    assert str(payment.refunded_amount) == "80000.00"
    # a late success never un-refunds
    post_event(api_client, completed(payment, event_id="evt_late_completed"))
    payment.refresh_from_db()
    assert payment.status == Status.REFUNDED


@pytest.mark.django_db
def test_unknown_session_and_unhandled_types_are_recorded_only(payment, api_client):
    stray = event("event_checkout_session_completed", id="evt_stray",
                  obj={"id": "cs_test_other", "metadata": {}})
    assert post_event(api_client, stray).status_code == 200
    assert PaymentEvent.objects.get(event_id="evt_stray").outcome == "unmatched"
    other = event("event_checkout_session_completed", id="evt_other", type="customer.created")
    assert post_event(api_client, other).status_code == 200
    assert PaymentEvent.objects.get(event_id="evt_other").outcome == "ignored"
    payment.refresh_from_db()
    assert payment.status == Status.CHECKOUT_OPEN


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_deliveries_record_once(recorded):
    from rest_framework.test import APIClient

    contract = payable_contract()
    payment = services.payment_start(contract=contract, method="stripe", by=owner_user(contract))
    data = completed(payment)
    barrier = threading.Barrier(4)
    results = []

    def deliver():
        try:
            barrier.wait()
            results.append(post_event(APIClient(), data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200, 200, 200, 200]
    assert PaymentEvent.objects.filter(event_id=data["id"]).count() == 1
    assert AuditEntry.objects.filter(action="payment.paid").count() == 1
    payment.refresh_from_db()
    assert payment.status == Status.PAID


@pytest.mark.django_db
def test_session_for_another_amount_does_not_pay(payment, api_client):
    post_event(api_client, completed(payment, amount_total=100))
    payment.refresh_from_db()
    assert payment.status == Status.CHECKOUT_OPEN
    record = PaymentEvent.objects.get(event_id="evt_1QpTestCompleted0001")
    assert record.outcome == "ignored"


@pytest.mark.django_db
def test_connect_endpoint_secret_is_accepted(payment, api_client, settings):
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = "whsec_connect_endpoint_secret"
    data = event("event_account_updated")
    response = post_event(api_client, data, secret="whsec_connect_endpoint_secret")
    assert response.status_code == 200
    assert PaymentEvent.objects.get(event_id=data["id"]).outcome == "unmatched"
    other = event("event_account_updated", id="evt_other_secret")
    assert post_event(api_client, other, secret="whsec_nobody").status_code == 400


# --- Correctly signed, badly shaped (issue #13 §1): a coded 400, never a 500, nothing recorded --


def _post_signed_body(client, body):
    payload = json.dumps(body, ensure_ascii=False)
    return client.post("/api/v1/payments/stripe/webhook/", data=payload.encode("utf-8"),
                       content_type="application/json", HTTP_ACCEPT_LANGUAGE="en",
                       HTTP_STRIPE_SIGNATURE=signature_header(payload))


def _malformed_bodies(payment):
    good = completed(payment)
    string_object = {**good, "data": {"object": "cs_test_a1B2c3D4e5F6g7H8i9J0"}}
    return {
        "array": [good],
        "string": "evt_1QpTestCompleted0001",
        "object_is_a_string": string_object,
        "amount_is_a_string": completed(payment, amount_total="一百"),
        "amount_is_a_float_string": completed(payment, amount_total="1e3"),
        "amount_is_a_boolean": completed(payment, amount_total=True),
        "refund_amount_is_a_string": event("event_charge_refunded",
                                           obj={"amount_refunded": "all"}),
        "metadata_is_a_list": completed(payment, metadata=["payment_key"]),
        "id_is_a_number": {**good, "id": 12345},
        "external_accounts_is_a_list": event("event_account_updated",
                                             obj={"external_accounts": []}),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("shape", [
    "array", "string", "object_is_a_string", "amount_is_a_string", "amount_is_a_float_string",
    "amount_is_a_boolean", "refund_amount_is_a_string", "metadata_is_a_list", "id_is_a_number",
    "external_accounts_is_a_list"])
def test_a_signed_event_of_the_wrong_shape_is_a_coded_400_and_changes_nothing(
        payment, api_client, shape):
    before = PaymentEvent.objects.count()

    response = _post_signed_body(api_client, _malformed_bodies(payment)[shape])

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "payment.webhook_malformed"
    assert body["detail"].startswith("The Stripe event is malformed")
    assert PaymentEvent.objects.count() == before
    payment.refresh_from_db()
    assert payment.status == Status.CHECKOUT_OPEN


@pytest.mark.django_db
def test_a_signed_body_that_is_not_json_is_malformed_not_a_bad_signature(payment, api_client):
    payload = "{not json"
    before = PaymentEvent.objects.count()

    response = api_client.post("/api/v1/payments/stripe/webhook/", data=payload.encode(),
                               content_type="application/json",
                               HTTP_STRIPE_SIGNATURE=signature_header(payload))

    assert response.status_code == 400
    assert response.json()["code"] == "payment.webhook_malformed"
    assert PaymentEvent.objects.count() == before


@pytest.mark.django_db
def test_a_well_shaped_event_after_a_malformed_one_still_pays(payment, api_client):
    _post_signed_body(api_client, _malformed_bodies(payment)["amount_is_a_string"])

    response = post_event(api_client, completed(payment))

    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == Status.PAID
