"""Contract templates in Django's admin, which is for superusers only: a saved version is never
rewritten there either; regulators use the console (tests/cms/test_console_reference)."""

import pytest

from contracts.models import ContractTemplate
from marketplace.accounts.services import create_regulator
from tests.factories.accounts import member_of

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
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 302 and "/django-admin/login/" in response["Location"]
    client.post(f"{URL}add/", {"title": "越权", "body": "x"})
    assert not ContractTemplate.objects.filter(title="越权").exists()
