"""An owner registers as an enterprise, a government department or a public institution."""

import pytest

from marketplace.accounts import services
from marketplace.accounts.models import Organization
from marketplace.catalog.models import Region
from marketplace.errors import DomainError
from tests.accounts.helpers import counts, owner_registration_data, registration_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("owner_kind", ["enterprise", "government", "institution"])
def test_each_owner_kind_registers(api_client, owner_kind):
    response = api_client.post("/api/v1/register/owner/",
                               owner_registration_data(owner_kind=owner_kind), format="json")

    assert response.status_code == 201
    organization = Organization.objects.get(pk=response.json()["organization"]["id"])
    assert (organization.kind, organization.owner_kind) == ("owner", owner_kind)


@pytest.mark.parametrize("owner_kind", [None, "", "agency", "company"])
def test_owner_registration_needs_a_valid_owner_kind(api_client, owner_kind):
    data = owner_registration_data(owner_kind=owner_kind)
    if owner_kind is None:
        del data["owner_kind"]
    before = counts()

    response = api_client.post("/api/v1/register/owner/", data, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    body = response.json()
    assert body.pop("code") == "invalid"
    assert list(body) == ["owner_kind"]
    assert counts() == before


def test_agency_registration_ignores_an_owner_kind(api_client):
    response = api_client.post("/api/v1/register/agency/",
                               registration_data(owner_kind="government"), format="json")

    assert response.status_code == 201
    assert Organization.objects.get().owner_kind == ""


def _service_data(**overrides):
    data = owner_registration_data()
    data["region"] = Region.objects.get(code=data["region"])
    data.update(overrides)
    return data


def test_the_service_refuses_an_owner_without_owner_kind():
    with pytest.raises(DomainError) as refused:
        services.register_organization(kind="owner", **_service_data(owner_kind=""))

    assert refused.value.field == "owner_kind"
    assert not Organization.objects.exists()


def test_nobody_registers_as_a_regulator():
    with pytest.raises(DomainError) as refused:
        services.register_organization(kind="regulator", **_service_data(owner_kind=""))

    assert refused.value.field == "kind"
    assert not Organization.objects.exists()
