"""Offline payments: the owner records the bank transfer, the agency confirms or disputes it,
a regulator settles a dispute; only the right party may act, in the right state."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from contracts.models import Contract, Payment, PaymentEvent
from contracts.payments import services
from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, InvalidTransition, NotAllowed, StateConflict
from tests.conftest import client_for
from tests.factories.accounts import RegulatorFactory, member_of
from tests.factories.payments import agency_user, owner_user, payable_contract

pytestmark = pytest.mark.django_db
Status = Payment.Status


def today() -> dt.date:
    """The platform date (Asia/Shanghai), not the machine's, read when a test runs: a value
    taken at collection goes stale when the run crosses midnight in Shanghai (16:00 UTC)."""
    return timezone.localdate()


TOMORROW = "tomorrow"  # parametrized, resolved when the test runs


@pytest.fixture
def contract():
    return payable_contract(price="80000.00")


def start(contract, **kwargs):
    return services.payment_start(contract=contract, method="offline", by=owner_user(contract),
                                  **kwargs)


def record(payment, contract, amount="80000.00", date=None, reference="ICBC-0001"):
    return services.payment_mark_sent(payment=payment, by=owner_user(contract),
                                      amount=Decimal(amount), date=date or today(),
                                      reference=reference)


def test_offline_is_the_default_and_waits_for_the_transfer(contract):
    payment = services.payment_start(contract=contract, method=None, by=owner_user(contract))
    assert payment.provider == "offline"
    assert payment.status == Status.PENDING
    assert payment.amount == Decimal("80000.00")
    assert payment.currency == "cny"
    assert AuditEntry.objects.filter(action="payment.started", object_id=str(payment.pk)).exists()


def test_owner_records_and_agency_confirms(contract):
    payment = record(start(contract), contract)
    assert payment.status == Status.SENT
    assert payment.transfer_reference == "ICBC-0001"
    assert payment.transfer_date == today()
    payment = services.payment_confirm_received(payment=payment, by=agency_user(contract))
    assert payment.status == Status.CONFIRMED
    assert payment.confirmed_at is not None
    types = list(PaymentEvent.objects.filter(payment=payment).values_list("type", flat=True))
    assert types == ["payment.started", "offline.sent", "offline.confirmed"]
    actions = set(AuditEntry.objects.filter(object_id=str(payment.pk),
                                            action__startswith="payment.")
                  .values_list("action", flat=True))
    assert {"payment.started", "payment.sent", "payment.confirmed"} <= actions


def test_only_the_owner_may_start(contract):
    with pytest.raises(NotAllowed):
        services.payment_start(contract=contract, method="offline", by=agency_user(contract))
    with pytest.raises(NotAllowed):
        services.payment_start(contract=contract, method="offline",
                               by=member_of(RegulatorFactory()))
    assert not Payment.objects.exists()


def test_only_the_agency_confirms(contract):
    payment = record(start(contract), contract)
    with pytest.raises(NotAllowed):
        services.payment_confirm_received(payment=payment, by=owner_user(contract))
    with pytest.raises(NotAllowed):
        services.payment_confirm_received(payment=payment, by=agency_user(payable_contract()))
    payment.refresh_from_db()
    assert payment.status == Status.SENT


def test_only_the_owner_records_the_transfer(contract):
    payment = start(contract)
    with pytest.raises(NotAllowed):
        services.payment_mark_sent(payment=payment, by=agency_user(contract),
                                   amount=Decimal("80000.00"), date=today(), reference="X")


def test_agency_cannot_confirm_before_the_transfer_is_recorded(contract):
    payment = start(contract)
    with pytest.raises(StateConflict):
        services.payment_confirm_received(payment=payment, by=agency_user(contract))


@pytest.mark.parametrize("status", [Contract.Status.AWAITING_SIGNATURES,
                                    Contract.Status.TERMINATED, Contract.Status.LAPSED])
def test_payment_starts_only_on_a_contract_in_force(status):
    contract = payable_contract(status=status)
    with pytest.raises(StateConflict):
        start(contract)
    assert not Payment.objects.exists()


@pytest.mark.parametrize("status", [Contract.Status.DELIVERED, Contract.Status.COMPLETED])
def test_payment_may_start_after_delivery_and_after_acceptance(status):
    assert start(payable_contract(status=status)).status == Status.PENDING


def test_a_contract_is_paid_once(contract):
    start(contract)
    with pytest.raises(StateConflict):
        start(contract)
    assert Payment.objects.filter(contract=contract).count() == 1


@pytest.mark.parametrize(("amount", "date", "reference", "field"), [
    ("79999.99", None, "REF", "amount"),
    ("80000.00", TOMORROW, "REF", "date"),
    ("80000.00", None, "   ", "reference"),
    ("80000.00", None, "R" * 101, "reference"),
])
def test_recorded_transfer_is_checked(contract, amount, date, reference, field):
    if date == TOMORROW:
        date = today() + dt.timedelta(days=1)
    payment = start(contract)
    with pytest.raises(DomainError) as error:
        record(payment, contract, amount=amount, date=date, reference=reference)
    assert error.value.field == field
    payment.refresh_from_db()
    assert payment.status == Status.PENDING
    assert payment.transfer_reference == ""


def test_agency_disputes_with_a_reason_and_the_owner_records_again(contract):
    payment = record(start(contract), contract)
    with pytest.raises(DomainError):
        services.payment_dispute(payment=payment, by=agency_user(contract), reason=" ")
    payment = services.payment_dispute(payment=payment, by=agency_user(contract),
                                       reason="没有收到该笔款项")
    assert payment.status == Status.DISPUTED
    with pytest.raises(StateConflict):
        services.payment_confirm_received(payment=payment, by=agency_user(contract))
    payment = record(payment, contract, reference="ICBC-0002")
    assert payment.status == Status.SENT
    assert payment.transfer_reference == "ICBC-0002"
    assert services.payment_confirm_received(
        payment=payment, by=agency_user(contract)).status == Status.CONFIRMED


@pytest.mark.parametrize(("outcome", "status"), [("confirmed", Status.CONFIRMED),
                                                 ("pending", Status.PENDING)])
def test_regulator_settles_a_dispute(contract, outcome, status):
    payment = record(start(contract), contract)
    payment = services.payment_dispute(payment=payment, by=agency_user(contract), reason="未到账")
    with pytest.raises(NotAllowed):
        services.payment_resolve_dispute(payment=payment, by=owner_user(contract),
                                         outcome=outcome, note="x")
    regulator = member_of(RegulatorFactory())
    payment = services.payment_resolve_dispute(payment=payment, by=regulator, outcome=outcome,
                                               note="银行回单核实")
    assert payment.status == status
    assert AuditEntry.objects.filter(action="payment.dispute_settled",
                                     actor=regulator).exists()


def test_confirmed_payment_never_moves_again(contract):
    payment = record(start(contract), contract)
    payment = services.payment_confirm_received(payment=payment, by=agency_user(contract))
    with pytest.raises(InvalidTransition):
        record(payment, contract)
    with pytest.raises(StateConflict):
        services.payment_dispute(payment=payment, by=agency_user(contract), reason="x")


# --- through the API -------------------------------------------------------------------------

def test_offline_flow_through_the_api(contract):
    owner_api = client_for(owner_user(contract))
    agency_api = client_for(agency_user(contract))
    response = owner_api.post(f"/api/v1/contracts/{contract.pk}/payments/", {"method": "offline"},
                              format="json")
    assert response.status_code == 201, response.data
    assert response.data["status"] == "pending"
    assert response.data["checkout_url"] is None
    pk = response.data["id"]
    response = owner_api.post(f"/api/v1/payments/{pk}/confirm/", {}, format="json")
    assert response.status_code == 400
    assert set(response.data) == {"amount", "date", "reference", "code"}
    assert response.data["code"] == "invalid"
    response = owner_api.post(f"/api/v1/payments/{pk}/confirm/",
                              {"amount": "80000.00", "date": today().isoformat(),
                               "reference": "CCB-778"}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["status"] == "sent"
    response = agency_api.post(f"/api/v1/payments/{pk}/confirm/", {}, format="json")
    assert response.status_code == 200
    assert response.data["status"] == "confirmed"
    assert [h["type"] for h in response.data["history"]] == [
        "payment.started", "offline.sent", "offline.confirmed"]


def test_api_refuses_the_wrong_party(contract):
    agency_api = client_for(agency_user(contract))
    response = agency_api.post(f"/api/v1/contracts/{contract.pk}/payments/",
                               {"method": "offline"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"
    stranger = client_for(owner_user(payable_contract()))
    response = stranger.post(f"/api/v1/contracts/{contract.pk}/payments/", {"method": "offline"},
                             format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    payment = start(contract)
    refusal = stranger.get(f"/api/v1/payments/{payment.pk}/")
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
    regulator_api = client_for(member_of(RegulatorFactory()))
    assert regulator_api.get(f"/api/v1/payments/{payment.pk}/").status_code == 200
    assert regulator_api.post(f"/api/v1/payments/{payment.pk}/confirm/", {},
                              format="json").status_code == 403
    assert not Payment.objects.exclude(pk=payment.pk).exists()


def test_api_dispute_and_resolve(contract):
    payment = record(start(contract), contract)
    agency_api = client_for(agency_user(contract))
    response = agency_api.post(f"/api/v1/payments/{payment.pk}/dispute/", {"reason": ""},
                               format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    response = agency_api.post(f"/api/v1/payments/{payment.pk}/dispute/",
                               {"reason": "未收到"}, format="json")
    assert response.status_code == 200 and response.data["status"] == "disputed"
    regulator_api = client_for(member_of(RegulatorFactory()))
    response = regulator_api.post(f"/api/v1/payments/{payment.pk}/resolve/",
                                  {"outcome": "confirmed", "note": "已核实"}, format="json")
    assert response.status_code == 200 and response.data["status"] == "confirmed"


def test_api_stripe_refused_without_keys(contract, settings):
    settings.STRIPE_SECRET_KEY = ""
    response = client_for(owner_user(contract)).post(
        f"/api/v1/contracts/{contract.pk}/payments/", {"method": "stripe"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "method" in response.data
    assert not Payment.objects.exists()


def test_each_step_notifies_the_other_party(contract, django_capture_on_commit_callbacks):
    from marketplace.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        payment = record(start(contract), contract)
    [notice] = Notification.objects.filter(kind="payments.sent")
    assert notice.user == agency_user(contract)
    assert notice.url == f"/workspace/contracts/{contract.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_dispute(payment=payment, by=agency_user(contract), reason="未到账")
    assert Notification.objects.get(kind="payments.disputed").user == owner_user(contract)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_make_one_payment():
    import threading

    from django.db import connection

    contract = payable_contract()
    user = owner_user(contract)
    barrier = threading.Barrier(4)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            services.payment_start(contract=contract, method="offline", by=user)
            outcomes.append("started")
        except StateConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "started"]
    assert Payment.objects.filter(contract=contract).count() == 1


def test_the_owner_withdraws_a_payment_before_any_transfer_is_recorded(contract):
    payment = start(contract)
    with pytest.raises(NotAllowed):
        services.payment_withdraw(payment=payment, by=agency_user(contract))
    payment = services.payment_withdraw(payment=payment, by=owner_user(contract))
    assert payment.status == Status.WITHDRAWN
    assert services.blocking_payment(contract) is None
    assert AuditEntry.objects.filter(action="payment.withdrawn").count() == 1
    assert start(contract).status == Status.PENDING  # a new payment may start


def test_a_recorded_transfer_cannot_be_withdrawn(contract):
    payment = record(start(contract), contract)
    with pytest.raises(StateConflict):
        services.payment_withdraw(payment=payment, by=owner_user(contract))
    assert client_for(owner_user(contract)).post(
        f"/api/v1/payments/{payment.pk}/withdraw/", format="json").status_code == 409
