"""Execution: delivery, acceptance, rejection, suspensions and late delivery."""

import datetime as dt

import pytest

from contracts import services
from contracts.models import Contract, CreditIncident, Delivery, DeliveryFile
from contracts.signals import contract_closed
from marketplace.errors import DomainError, NotAllowed, StateConflict
from tests.contracts.conftest import api_as
from tests.factories.bidding import user_of
from tests.factories.providers import TINY_PDF, TINY_PNG, WINDOWS_EXE, upload

pytestmark = pytest.mark.django_db


def deliver(contract, *, at, files=()):
    return services.contract_deliver(contract=contract, by=user_of(contract.agency),
                                     note="环评报告书（送审稿）", files=files, now=at)


def test_the_agency_delivers_a_note_and_checked_files(active):
    response = api_as(active.agency).post(
        f"/api/v1/contracts/{active.pk}/deliver/",
        {"note": "报告书及附图", "files": [upload("report.pdf", TINY_PDF),
                                            upload("map.png", TINY_PNG)]},
        format="multipart")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "delivered"
    delivery = Delivery.objects.get(contract=active)
    assert delivery.note == "报告书及附图"
    assert sorted(f.original_name for f in delivery.files.all()) == ["map.png", "report.pdf"]
    files = response.json()["deliveries"][0]["files"]
    assert len(files) == 2 and all(len(f["sha256"]) == 64 for f in files)


def test_one_bad_file_refuses_the_whole_delivery(active):
    response = api_as(active.agency).post(
        f"/api/v1/contracts/{active.pk}/deliver/",
        {"note": "报告", "files": [upload("report.pdf", TINY_PDF),
                                    upload("virus.pdf", WINDOWS_EXE)]}, format="multipart")
    assert response.status_code == 400 and "files" in response.json()
    assert response.json()["code"] == "upload.type_not_accepted"
    active.refresh_from_db()
    assert active.status == Contract.Status.ACTIVE
    assert not Delivery.objects.exists() and not DeliveryFile.objects.exists()


def test_only_the_agency_delivers_and_a_note_is_required(active):
    response = api_as(active.owner).post(f"/api/v1/contracts/{active.pk}/deliver/",
                                         {"note": "x"}, format="json")
    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")
    response = api_as(active.agency).post(f"/api/v1/contracts/{active.pk}/deliver/",
                                          {"note": " "}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")


def test_the_owner_rejects_with_reasons_and_the_agency_delivers_again(active):
    at = active.activated_at + dt.timedelta(days=5)
    deliver(active, at=at)
    response = api_as(active.owner).post(f"/api/v1/contracts/{active.pk}/reject/",
                                         {"reason": "缺少附图"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "active"
    assert Delivery.objects.get().outcome == "rejected"
    refusal = api_as(active.owner).post(f"/api/v1/contracts/{active.pk}/reject/",
                                        {"reason": "x"}, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (409, "state.conflict")
    deliver(active, at=at + dt.timedelta(days=2))
    assert Delivery.objects.count() == 2


def test_acceptance_completes_the_contract_and_announces_it(active):
    closed = []

    def receiver(sender, contract, **kwargs):
        closed.append(contract.pk)

    deliver(active, at=active.activated_at + dt.timedelta(days=3))
    contract_closed.connect(receiver)
    try:
        response = api_as(active.owner).post(f"/api/v1/contracts/{active.pk}/accept/")
    finally:
        contract_closed.disconnect(receiver)
    assert response.status_code == 200 and response.json()["status"] == "completed"
    assert closed == [active.pk]
    active.refresh_from_db()
    assert active.completed_at and Delivery.objects.get().outcome == "accepted"
    assert response.json()["service_clock"]["running"] is False


def test_nothing_to_accept_before_a_delivery(active):
    with pytest.raises(StateConflict) as refused:
        services.contract_accept(contract=active, by=user_of(active.owner))
    assert refused.value.code == "state.conflict"
    with pytest.raises(NotAllowed) as refused:
        services.contract_accept(contract=active, by=user_of(active.agency))
    assert refused.value.code == "not_allowed"


def test_late_delivery_counts_days_on_the_clock_without_the_suspension(active):
    """Promised 20 days. Suspended from day 5 to day 12 (7 days), delivered on day 30:
    the clock shows 23 days, so 3 days late."""
    start = active.activated_at
    services.contract_suspend(contract=active, by=user_of(active.owner),
                              reason="等待业主提供设计图纸", now=start + dt.timedelta(days=5))
    with pytest.raises(StateConflict) as refused:
        deliver(active, at=start + dt.timedelta(days=6))
    assert refused.value.code == "state.conflict"
    services.contract_resume(contract=active, by=user_of(active.owner),
                             now=start + dt.timedelta(days=12))
    delivery = deliver(active, at=start + dt.timedelta(days=30))
    incident = CreditIncident.objects.get()
    assert (incident.organization, incident.kind, incident.days) == (
        active.agency, "late_delivery", 3)
    assert delivery.service_seconds == 23 * 86400
    # Rejected and delivered again later: still one late-delivery incident per contract.
    services.contract_reject(contract=active, by=user_of(active.owner), reason="需修改",
                             now=start + dt.timedelta(days=31))
    deliver(active, at=start + dt.timedelta(days=40))
    assert CreditIncident.objects.count() == 1


def test_a_delivery_within_the_promised_days_records_nothing(active):
    deliver(active, at=active.activated_at + dt.timedelta(days=20))
    assert not CreditIncident.objects.exists()


def test_only_the_owner_suspends_with_a_reason_and_not_twice(active):
    with pytest.raises(NotAllowed) as refused:
        services.contract_suspend(contract=active, by=user_of(active.agency), reason="x")
    assert refused.value.code == "not_allowed"
    with pytest.raises(DomainError) as refused:
        services.contract_suspend(contract=active, by=user_of(active.owner), reason="")
    assert refused.value.code == "invalid"
    response = api_as(active.owner).post(f"/api/v1/contracts/{active.pk}/suspend/",
                                         {"reason": "等待资料"}, format="json")
    assert response.status_code == 200 and response.json()["service_clock"]["paused"]
    again = api_as(active.owner).post(f"/api/v1/contracts/{active.pk}/suspend/",
                                      {"reason": "again"}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "state.conflict")
    response = api_as(active.owner).post(f"/api/v1/contracts/{active.pk}/resume/")
    assert response.status_code == 200 and response.json()["service_clock"]["running"]
    refusal = api_as(active.owner).post(f"/api/v1/contracts/{active.pk}/resume/")
    assert (refusal.status_code, refusal.json()["code"]) == (409, "state.conflict")


def test_nothing_can_be_delivered_before_both_signatures(contract):
    with pytest.raises(StateConflict) as refused:
        deliver(contract, at=contract.created_at + dt.timedelta(hours=2))
    assert refused.value.code == "state.invalid_transition"
