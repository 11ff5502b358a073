"""Regulators keep the contract template in the Django admin: new versions, one in use."""

import pytest

from contracts.models import ContractTemplate
from marketplace.accounts.services import create_regulator
from tests.factories.accounts import member_of

pytestmark = pytest.mark.django_db
URL = "/django-admin/contracts/contracttemplate/"


@pytest.fixture
def regulator_admin(db):
    return create_regulator(username="reg-admin", password="Zhongjie-reg-2026")


def test_a_regulator_adds_a_version_and_puts_it_in_use(client, regulator_admin):
    client.force_login(regulator_admin)
    assert client.get(URL).status_code == 200
    response = client.post(f"{URL}add/", {"title": "第二版", "body": "合同 {{ price }} 元"})
    assert response.status_code == 302, response.content.decode()[:500]
    new = ContractTemplate.objects.get(title="第二版")
    assert new.version == 2 and not new.is_active
    client.post(URL, {"action": "activate", "_selected_action": [new.pk]})
    assert list(ContractTemplate.objects.filter(is_active=True)) == [new]


def test_a_broken_template_is_refused_on_the_form(client, regulator_admin):
    client.force_login(regulator_admin)
    response = client.post(f"{URL}add/", {"title": "坏", "body": "{% if %}"})
    assert response.status_code == 200
    assert not ContractTemplate.objects.filter(title="坏").exists()


def test_a_saved_version_cannot_be_rewritten(client, regulator_admin):
    client.force_login(regulator_admin)
    first = ContractTemplate.objects.get(version=1)
    client.post(f"{URL}{first.pk}/change/", {"title": "改", "body": "改过的文本"})
    first.refresh_from_db()
    assert first.body != "改过的文本"


def test_staff_of_other_organizations_see_no_templates(client, owner):
    user = member_of(owner)
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(URL).status_code == 403
