"""Contracts in Django's admin (superusers only): a saved template version is never
rewritten there; payments are read-only; regulators use the console."""

import pytest

from contracts.models import ContractTemplate
from marketplace.accounts.services import create_regulator
from tests.factories.accounts import log_in_verified, member_of

pytestmark = pytest.mark.django_db
URL = "/django-admin/contracts/contracttemplate/"


def test_a_saved_version_cannot_be_rewritten_even_by_a_superuser(admin_client):
    first = ContractTemplate.objects.get(version=1)
    assert admin_client.get(URL).status_code == 200
    admin_client.post(f"{URL}{first.pk}/change/", {"title": "改", "body": "改过的文本"})
    first.refresh_from_db()
    assert first.body != "改过的文本"


def test_a_broken_template_is_refused_on_the_admin_form(admin_client):
    response = admin_client.post(f"{URL}add/", {"title": "坏", "body": "{% if %}"})
    assert response.status_code == 200
    assert not ContractTemplate.objects.filter(title="坏").exists()


@pytest.mark.parametrize("who", ["regulator", "staff_of_an_owner"])
def test_only_superusers_reach_the_template_admin(client, owner, who):
    if who == "regulator":
        user = create_regulator(username="reg-admin", password="Zhongjie-reg-2026")
    else:
        user = member_of(owner)
        user.is_staff = True
        user.save()
    log_in_verified(client, user)
    response = client.get(URL)
    assert response.status_code == 302 and "/django-admin/login/" in response["Location"]
    client.post(f"{URL}add/", {"title": "越权", "body": "x"})
    assert not ContractTemplate.objects.filter(title="越权").exists()


def test_payments_are_read_only_in_the_admin(admin_client):
    from contracts.payments import services as payments
    from tests.factories.payments import owner_user, payable_contract

    contract = payable_contract(price="80000.00")
    payment = payments.payment_start(contract=contract, method="offline",
                                     by=owner_user(contract))
    for url in ("/django-admin/contracts/payment/", "/django-admin/contracts/paymentevent/",
                "/django-admin/contracts/payout/",
                f"/django-admin/contracts/payment/{payment.pk}/change/"):
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get("/django-admin/contracts/payment/add/").status_code == 403
    admin_client.post(f"/django-admin/contracts/payment/{payment.pk}/delete/", {"post": "yes"})
    assert type(payment).objects.filter(pk=payment.pk).exists()
