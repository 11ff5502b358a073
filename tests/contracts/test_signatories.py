"""Who signs for a party: its administrators always, its staff only with the right to sign
(签署权) granted by an administrator. The contract page says who may sign."""

import pytest

from contracts import services
from contracts.models import Signature
from marketplace.accounts import services as accounts
from marketplace.accounts.errors import NotSignatory
from tests.conftest import client_for
from tests.contracts.test_signing import _sign_api
from tests.factories.accounts import PASSWORD, member_of
from tests.factories.bidding import user_of
from tests.factories.contracts import sign

pytestmark = pytest.mark.django_db

NOT_SIGNATORY = "只有管理员或被授予合同签署权的成员才能代表本单位签署"


def granted(organization, username: str, *, can_sign: bool = True):
    staff = member_of(organization, role="staff", username=username)
    accounts.member_signatory_set(organization=organization, member=staff, can_sign=can_sign,
                                  by=user_of(organization))
    return staff


def test_staff_without_the_right_cannot_sign_and_are_told_why(contract):
    staff = member_of(contract.agency, role="staff")

    response = _sign_api(contract, staff)

    assert response.status_code == 403
    assert response.json()["code"] == "contract.not_a_signatory"
    assert NOT_SIGNATORY in response.json()["detail"]
    with pytest.raises(NotSignatory) as refused:
        services.contract_sign(contract=contract, by=staff, password=PASSWORD)
    assert refused.value.code == "contract.not_a_signatory"
    assert not Signature.objects.exists()


def test_staff_granted_the_right_sign_for_their_organization(contract):
    signer = granted(contract.agency, "qianzi")

    response = _sign_api(contract, signer)

    assert response.status_code == 200
    signature = Signature.objects.get()
    assert (signature.user, signature.organization) == (signer, contract.agency)


def test_a_withdrawn_right_no_longer_signs(contract):
    signer = granted(contract.agency, "qianzi")
    accounts.member_signatory_set(organization=contract.agency, member=signer, can_sign=False,
                                  by=user_of(contract.agency))

    refused_answer = _sign_api(contract, signer)
    assert refused_answer.status_code == 403
    assert refused_answer.json()["code"] == "contract.not_a_signatory"
    assert not Signature.objects.exists()


def test_administrators_sign_without_being_granted_anything(contract):
    admin = user_of(contract.owner)
    assert not admin.membership.can_sign_contracts

    assert _sign_api(contract, admin).status_code == 200


def test_an_administrator_made_staff_signs_only_if_granted(contract):
    former = member_of(contract.owner, role="admin", username="former_admin")
    accounts.member_role_set(organization=contract.owner, member=former, role="staff",
                             by=user_of(contract.owner))

    with pytest.raises(NotSignatory) as refused:
        services.contract_sign(contract=contract, by=former, password=PASSWORD)
    assert refused.value.code == "contract.not_a_signatory"


def test_a_signatory_may_sign_but_refusing_stays_with_the_administrators(contract):
    signer = granted(contract.agency, "qianzi")

    data = _sign_api(contract, signer).json()
    assert data["status"] == "awaiting_signatures"
    refusal = client_for(granted(contract.owner, "owner_signer")).post(
        f"/api/v1/contracts/{contract.pk}/refuse/", {"reason": "价格过高"}, format="json")
    assert refusal.status_code == 403
    assert refusal.json()["code"] == "not_allowed"


def test_the_contract_page_says_who_may_sign_for_each_party(contract, client):
    granted(contract.agency, "qianzi")
    member_of(contract.agency, role="staff", username="putong")
    client.force_login(user_of(contract.owner))

    page = client.get(f"/workspace/contracts/{contract.pk}/").content.decode()

    assert page.count("可签署人：") == 2
    assert user_of(contract.owner).username in page
    assert "qianzi" in page and user_of(contract.agency).username in page
    assert "putong" not in page
    assert f"您可以代表{contract.owner.name}签署。" in page


def test_a_member_who_may_not_sign_is_told_why_and_offered_no_sign_button(contract, client):
    client.force_login(member_of(contract.agency, role="staff"))

    page = client.get(f"/workspace/contracts/{contract.pk}/").content.decode()

    assert NOT_SIGNATORY in page
    assert f"/workspace/contracts/{contract.pk}/sign/" not in page


def test_a_signatory_is_offered_the_sign_button_but_not_the_refusal(contract, client):
    client.force_login(granted(contract.agency, "qianzi"))

    page = client.get(f"/workspace/contracts/{contract.pk}/").content.decode()

    assert f"/workspace/contracts/{contract.pk}/sign/" in page
    assert f"/workspace/contracts/{contract.pk}/refuse/" not in page


def test_the_page_says_who_may_sign_in_english(contract, client):
    client.cookies["django_language"] = "en"
    client.force_login(user_of(contract.agency))

    page = client.get(f"/workspace/contracts/{contract.pk}/").content.decode()

    assert "May sign: " in page
    assert f"You may sign for {contract.agency.name}." in page


def test_once_signed_the_page_says_so_and_once_in_force_the_list_goes(contract, client):
    sign(contract, contract.owner)
    client.force_login(user_of(contract.owner))
    assert "贵单位已签署。" in client.get(f"/workspace/contracts/{contract.pk}/").content.decode()

    sign(contract, contract.agency)
    assert "可签署人" not in client.get(f"/workspace/contracts/{contract.pk}/").content.decode()
