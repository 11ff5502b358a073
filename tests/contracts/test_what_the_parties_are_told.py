"""What the contract pages tell the parties: the second signature puts the contract in force
and the second signer is told so (not "in force once both have signed"); accepting a delivery
asks for confirmation first, with what accepting means."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from contracts.models import Contract
from contracts.services import contract_deliver
from tests.factories.accounts import PASSWORD
from tests.factories.bidding import user_of

pytestmark = pytest.mark.django_db


def as_party(organization, language="zh-hans") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user_of(organization))
    return client


def _sign(client, contract):
    return client.post(f"/workspace/contracts/{contract.pk}/sign/",
                       {"password": PASSWORD, "text_sha256": contract.text_sha256})


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_first_signer_is_told_the_contract_waits_for_the_other_party(contract):
    response = _sign(as_party(contract.owner), contract)
    assert _messages(response) == ["已签署。待对方也签署后，合同即生效。"]


def test_the_second_signer_is_told_the_contract_is_now_in_force(contract):
    _sign(as_party(contract.owner), contract)
    response = _sign(as_party(contract.agency), contract)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE
    assert _messages(response) == ["已签署。双方均已签署，合同现已生效，服务计时已开始。"]
    assert "双方均签署后合同生效" not in _messages(response)[0]


def test_the_second_signer_is_told_in_english_too(contract):
    _sign(as_party(contract.agency, "en"), contract)
    response = _sign(as_party(contract.owner, "en"), contract)
    assert _messages(response) == ["Signed. Both parties have now signed: the contract is in "
                                   "force and the service clock has started."]


@pytest.fixture
def delivered(active):
    contract_deliver(contract=active, by=user_of(active.agency), note="环评报告表终稿")
    active.refresh_from_db()
    return active


def test_the_contract_page_leads_to_a_confirmation_not_straight_to_acceptance(delivered):
    page = as_party(delivered.owner).get(f"/workspace/contracts/{delivered.pk}/")
    html = page.content.decode()
    accept = f"/workspace/contracts/{delivered.pk}/accept/"
    assert f'href="{accept}"' in html
    assert f'action="{accept}"' not in html


def test_the_confirmation_says_what_accepting_means_and_changes_nothing(delivered):
    client = as_party(delivered.owner)
    response = client.get(f"/workspace/contracts/{delivered.pk}/accept/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "验收后不可撤销" in html and "服务计时停止" in html
    assert "环评报告表终稿" in html  # what is being accepted
    assert "15天" in html  # the rating period, in words
    assert "确认验收通过" in html
    assert f"/workspace/contracts/{delivered.pk}/reject/" in html
    delivered.refresh_from_db()
    assert delivered.status == Contract.Status.DELIVERED


def test_confirming_accepts_the_delivery(delivered):
    response = as_party(delivered.owner).post(f"/workspace/contracts/{delivered.pk}/accept/")
    assert response.status_code == 302
    delivered.refresh_from_db()
    assert delivered.status == Contract.Status.COMPLETED


def test_only_the_owner_of_a_delivered_contract_sees_the_confirmation(delivered, active):
    response = as_party(delivered.agency).get(f"/workspace/contracts/{delivered.pk}/accept/")
    assert response.status_code == 302
    assert response["Location"] == f"/workspace/contracts/{delivered.pk}/"
