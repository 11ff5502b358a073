"""The contract pages: who sees them, the lists and filters, and the action forms."""

import datetime as dt

import pytest

from contracts.models import Contract, Delivery, Signature
from tests.factories.accounts import PASSWORD, AgencyFactory, OwnerFactory, member_of
from tests.factories.bidding import user_of
from tests.factories.providers import TINY_PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_parties_and_regulators_see_the_contract_page(contract, client, regulator_user):
    for user in (user_of(contract.owner), user_of(contract.agency), regulator_user):
        client.force_login(user)
        response = client.get(f"/workspace/contracts/{contract.pk}/")
        assert response.status_code == 200
        assert contract.text_sha256 in response.content.decode()


@pytest.mark.parametrize("make", [AgencyFactory, OwnerFactory])
def test_anyone_else_gets_404(contract, client, make):
    client.force_login(member_of(make()))
    for suffix in ("", "print/", "pdf/", "sign/", "deliver/", "terminate/"):
        assert client.get(f"/workspace/contracts/{contract.pk}/{suffix}").status_code == 404


def test_the_anonymous_are_sent_to_log_in(contract, client):
    response = client.get(f"/workspace/contracts/{contract.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_offers_the_actions_possible_now(active, english):
    english.force_login(user_of(active.owner))
    page = english.get(f"/workspace/contracts/{active.pk}/").content.decode()
    assert f"/workspace/contracts/{active.pk}/suspend/" in page
    assert f"/workspace/contracts/{active.pk}/deliver/" not in page
    assert "Service clock" in page
    english.force_login(user_of(active.agency))
    page = english.get(f"/workspace/contracts/{active.pk}/").content.decode()
    assert f"/workspace/contracts/{active.pk}/deliver/" in page
    assert f"/workspace/contracts/{active.pk}/suspend/" not in page


def test_the_sign_form_refuses_a_wrong_password_and_signs_with_the_right_one(contract, client):
    client.force_login(user_of(contract.owner))
    url = f"/workspace/contracts/{contract.pk}/sign/"
    response = client.post(url, {"password": "wrong", "text_sha256": contract.text_sha256})
    assert response.status_code == 403 and not Signature.objects.exists()
    assert "密码不正确。" in response.content.decode()
    response = client.post(url, {"password": PASSWORD, "text_sha256": contract.text_sha256})
    assert response.status_code == 302
    assert Signature.objects.get().organization == contract.owner


def test_the_deliver_form_takes_files_and_the_owner_accepts(active, client):
    client.force_login(user_of(active.agency))
    response = client.post(f"/workspace/contracts/{active.pk}/deliver/",
                           {"note": "成果文件", "files": [upload("r.pdf", TINY_PDF)]})
    assert response.status_code == 302
    delivered = Delivery.objects.get()
    stored = delivered.files.get()
    assert client.get(f"/workspace/contracts/{active.pk}/files/{stored.pk}/").status_code == 200
    client.force_login(user_of(active.owner))
    rate = f"/workspace/contracts/{active.pk}/rate/"
    assert rate not in client.get(f"/workspace/contracts/{active.pk}/").content.decode()
    assert client.post(f"/workspace/contracts/{active.pk}/accept/").status_code == 302
    active.refresh_from_db()
    assert active.status == Contract.Status.COMPLETED
    # a completed contract leads its parties to the two-way ratings
    assert rate in client.get(f"/workspace/contracts/{active.pk}/").content.decode()


def test_the_forms_show_refusals_without_writing(active, client):
    client.force_login(user_of(active.owner))
    response = client.post(f"/workspace/contracts/{active.pk}/terminate/",
                           {"reason": "", "at_fault": "agency"})
    assert response.status_code == 200
    active.refresh_from_db()
    assert active.status == Contract.Status.ACTIVE
    response = client.post(f"/workspace/contracts/{active.pk}/suspend/", {"reason": "等待"})
    assert response.status_code == 302
    assert client.post(f"/workspace/contracts/{active.pk}/resume/").status_code == 302


def test_each_organization_lists_its_own_contracts(contract, active, client):
    client.force_login(user_of(contract.owner))
    page = client.get("/workspace/contracts/").content.decode()
    assert f"/workspace/contracts/{contract.pk}/" in page
    assert f"/workspace/contracts/{active.pk}/" not in page


def test_regulators_list_all_contracts_with_filters(contract, active, client, regulator_user):
    client.force_login(regulator_user)
    page = client.get("/workspace/contracts/").content.decode()
    assert f"/workspace/contracts/{contract.pk}/" in page
    assert f"/workspace/contracts/{active.pk}/" in page
    page = client.get("/workspace/contracts/", {"status": "active"}).content.decode()
    assert f"/workspace/contracts/{active.pk}/\"" in page
    assert f"/workspace/contracts/{contract.pk}/\"" not in page
    page = client.get("/workspace/contracts/", {"agency": contract.agency_id}).content.decode()
    assert f"/workspace/contracts/{contract.pk}/\"" in page
    assert f"/workspace/contracts/{active.pk}/\"" not in page
    day = contract.created_at.date().isoformat()
    page = client.get("/workspace/contracts/", {"created_from": day, "created_to": day,
                                                "owner": contract.owner_id}).content.decode()
    assert f"/workspace/contracts/{contract.pk}/\"" in page


def test_the_workspace_links_to_the_contracts(client, agency_admin):
    client.force_login(agency_admin)
    assert "/workspace/contracts/" in client.get("/workspace/").content.decode()


def test_the_owner_passes_a_lapsed_award_on_from_the_contract_page(contract, client,
                                                                    time_machine):
    time_machine.move_to(contract.signing_deadline + dt.timedelta(minutes=1), tick=False)
    client.force_login(user_of(contract.owner))
    page = client.get(f"/workspace/contracts/{contract.pk}/").content.decode()
    assert f"/workspace/contracts/{contract.pk}/award-next/" in page
    response = client.post(f"/workspace/contracts/{contract.pk}/award-next/")
    assert response.status_code == 302
    assert response["Location"] == contract.project.get_absolute_url()
    contract.project.refresh_from_db()
    assert contract.project.status == "publicity"
