"""Termination: by an administrator of either party or a regulator, with reason and fault."""

import datetime as dt

import pytest

from contracts import services, states
from contracts.models import Contract
from contracts.signals import contract_closed
from marketplace.errors import DomainError, InvalidTransition, NotAllowed
from tests.contracts.conftest import api_as
from tests.factories.accounts import AgencyFactory, member_of
from tests.factories.bidding import user_of

pytestmark = pytest.mark.django_db
S = Contract.Status
EXPECTED = {
    (S.AWAITING_SIGNATURES, S.ACTIVE), (S.AWAITING_SIGNATURES, S.LAPSED),
    (S.ACTIVE, S.DELIVERED), (S.ACTIVE, S.TERMINATED),
    (S.DELIVERED, S.COMPLETED), (S.DELIVERED, S.ACTIVE), (S.DELIVERED, S.TERMINATED),
}


def test_the_transition_table_is_the_designs():
    assert {(a, b) for a, targets in states.ALLOWED.items() for b in targets} == EXPECTED


@pytest.mark.parametrize("party", ["owner", "agency"])
def test_an_admin_of_either_party_terminates_with_reason_and_fault(active, party):
    closed = []

    def receiver(sender, contract, **kwargs):
        closed.append(contract.pk)

    contract_closed.connect(receiver)
    try:
        response = api_as(getattr(active, party)).post(
            f"/api/v1/contracts/{active.pk}/terminate/",
            {"reason": "对方严重违约", "at_fault": "agency" if party == "owner" else "owner"},
            format="json")
    finally:
        contract_closed.disconnect(receiver)
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "terminated" and data["termination_reason"] == "对方严重违约"
    assert closed == [active.pk]


def test_a_regulator_terminates_and_an_open_suspension_ends(active, regulator_user):
    services.contract_suspend(contract=active, by=user_of(active.owner), reason="等待")
    contract = services.contract_terminate(contract=active, by=regulator_user,
                                           reason="监管处置", at_fault="neither")
    assert contract.status == S.TERMINATED and contract.terminated_by == regulator_user
    assert not contract.suspensions.filter(ended_at__isnull=True).exists()


def test_staff_and_outsiders_cannot_terminate(active):
    with pytest.raises(NotAllowed) as refused:
        services.contract_terminate(contract=active, by=member_of(active.owner, role="staff"),
                                    reason="x", at_fault="agency")
    assert refused.value.code == "not_allowed"
    with pytest.raises(NotAllowed) as refused:
        services.contract_terminate(contract=active, by=member_of(AgencyFactory()),
                                    reason="x", at_fault="agency")
    assert refused.value.code == "not_allowed"
    response = api_as(AgencyFactory()).post(f"/api/v1/contracts/{active.pk}/terminate/",
                                            {"reason": "x", "at_fault": "owner"},
                                            format="json")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_reason_and_party_at_fault_are_required(active):
    owner = user_of(active.owner)
    with pytest.raises(DomainError) as refused:
        services.contract_terminate(contract=active, by=owner, reason=" ", at_fault="agency")
    assert refused.value.code == "invalid"
    with pytest.raises(DomainError) as refused:
        services.contract_terminate(contract=active, by=owner, reason="x", at_fault="nobody")
    assert refused.value.code == "invalid"
    response = api_as(active.owner).post(f"/api/v1/contracts/{active.pk}/terminate/",
                                         {"reason": "x"}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")


def test_a_contract_awaiting_signatures_cannot_be_terminated(contract):
    with pytest.raises(InvalidTransition) as refused:
        services.contract_terminate(contract=contract, by=user_of(contract.owner),
                                    reason="x", at_fault="agency")
    assert refused.value.code == "state.invalid_transition"


def test_a_completed_contract_cannot_be_terminated(active):
    services.contract_deliver(contract=active, by=user_of(active.agency), note="报告",
                              now=active.activated_at + dt.timedelta(days=1))
    services.contract_accept(contract=active, by=user_of(active.owner))
    response = api_as(active.owner).post(f"/api/v1/contracts/{active.pk}/terminate/",
                                         {"reason": "x", "at_fault": "agency"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "state.invalid_transition"
