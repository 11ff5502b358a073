"""Online signing (合同网签): who may sign, over which hash, and what both signatures do."""

import datetime as dt

import pytest

from contracts import services
from contracts.models import Contract, Signature
from marketplace.audit.models import AuditEntry
from marketplace.errors import NotAllowed, StateConflict
from marketplace.notifications.models import Notification
from tests.contracts.conftest import api_as
from tests.factories.accounts import PASSWORD, AgencyFactory, member_of
from tests.factories.bidding import user_of
from tests.factories.contracts import contract_awaiting_signatures, sign

pytestmark = pytest.mark.django_db


def _sign_api(contract, user, **body):
    from tests.conftest import client_for

    return client_for(user).post(f"/api/v1/contracts/{contract.pk}/sign/",
                                 {"password": PASSWORD, **body}, format="json",
                                 HTTP_USER_AGENT="Mozilla/5.0 test", REMOTE_ADDR="10.1.2.3")


def test_a_signature_records_user_organization_time_ip_agent_and_hash(contract):
    response = _sign_api(contract, user_of(contract.owner))
    assert response.status_code == 200, response.json()
    signature = Signature.objects.get(contract=contract)
    assert signature.organization == contract.owner
    assert signature.user == user_of(contract.owner)
    assert signature.ip_address == "10.1.2.3" and signature.user_agent == "Mozilla/5.0 test"
    assert signature.text_sha256 == contract.text_sha256 and signature.signed_at
    assert response.json()["status"] == "awaiting_signatures"
    assert response.json()["signatures"][0]["organization"] == contract.owner_id


def test_a_wrong_password_is_refused_with_403_and_nothing_recorded(contract):
    response = _sign_api(contract, user_of(contract.agency), password="not-the-password")
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"
    assert not Signature.objects.exists()
    assert not AuditEntry.objects.filter(action="contract.signed").exists()


def test_a_staff_member_of_a_party_cannot_sign(contract):
    staff = member_of(contract.agency, role="staff")
    refusal = _sign_api(contract, staff)
    assert (refusal.status_code, refusal.json()["code"]) == (403, "contract.not_a_signatory")
    with pytest.raises(NotAllowed) as refused:
        services.contract_sign(contract=contract, by=staff, password=PASSWORD)
    assert refused.value.code == "contract.not_a_signatory"
    assert not Signature.objects.exists()


def test_a_third_party_cannot_sign_or_even_see_the_contract(contract, regulator_user):
    outsider = member_of(AgencyFactory())
    refusal = _sign_api(contract, outsider)
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
    with pytest.raises(NotAllowed) as refused:
        services.contract_sign(contract=contract, by=outsider, password=PASSWORD)
    assert refused.value.code == "not_allowed"
    # A regulator sees the contract but is no party to it.
    refusal = _sign_api(contract, regulator_user)
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")
    assert not Signature.objects.exists()


def test_a_signature_over_a_different_hash_is_impossible(contract):
    response = _sign_api(contract, user_of(contract.owner), text_sha256="0" * 64)
    assert response.status_code == 409
    assert response.json()["code"] == "state.conflict"
    # Nor can a text changed behind the hash be signed at all.
    Contract.objects.filter(pk=contract.pk).update(text=contract.text + "附加条款")
    with pytest.raises(StateConflict) as refused:
        sign(contract, contract.owner)
    assert refused.value.code == "state.conflict"
    assert not Signature.objects.exists()


def test_the_hash_the_signer_read_is_accepted_when_it_matches(contract):
    response = _sign_api(contract, user_of(contract.owner), text_sha256=contract.text_sha256)
    assert response.status_code == 200


def test_signing_twice_for_the_same_party_is_a_conflict(contract):
    sign(contract, contract.owner)
    second_admin = member_of(contract.owner)
    refusal = _sign_api(contract, second_admin)
    assert (refusal.status_code, refusal.json()["code"]) == (409, "state.conflict")
    assert Signature.objects.count() == 1


def test_both_signatures_put_the_contract_in_force_and_notify_both_parties(
        django_capture_on_commit_callbacks):
    contract = contract_awaiting_signatures()
    with django_capture_on_commit_callbacks(execute=True):
        sign(contract, contract.agency, now=contract.created_at + dt.timedelta(hours=1))
        signed = sign(contract, contract.owner, now=contract.created_at + dt.timedelta(hours=3))
    assert signed.status == Contract.Status.ACTIVE
    assert signed.activated_at == contract.created_at + dt.timedelta(hours=3)
    notified = set(Notification.objects.filter(kind="contracts.active")
                   .values_list("user__membership__organization", flat=True))
    assert notified == {contract.owner_id, contract.agency_id}
    assert Notification.objects.filter(kind="contracts.signed",
                                       user=user_of(contract.owner)).exists()


def test_a_signed_contract_shows_in_force_through_the_api(active):
    data = api_as(active.owner).get(f"/api/v1/contracts/{active.pk}/").json()
    assert data["status"] == "active"
    assert {s["organization"] for s in data["signatures"]} == {active.owner_id,
                                                               active.agency_id}
    assert data["text_sha256"] == active.text_sha256 and data["text"] == active.text
    assert data["service_clock"]["running"] is True
