"""Zero threshold through the API: 201 with the organization and a token that works at once."""

import pytest
from rest_framework.test import APIClient

from marketplace.accounts.models import Membership, Organization
from marketplace.audit.models import AuditEntry
from tests.accounts.helpers import owner_registration_data, registration_data

pytestmark = pytest.mark.django_db


def test_agency_registration_returns_the_active_organization_and_a_token(api_client):
    data = registration_data()

    response = api_client.post("/api/v1/register/agency/", data, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    organization = Organization.objects.get(uscc=data["uscc"])
    assert {key: body["organization"][key] for key in ("id", "name", "uscc", "kind", "status")} == {
        "id": organization.pk,
        "name": data["name"],
        "uscc": data["uscc"],
        "kind": "agency",
        "status": "active",
    }
    assert body["token"]
    assert "password" not in body
    assert organization.memberships.get().role == Membership.Role.ADMIN
    assert AuditEntry.objects.filter(action="organization.registered",
                                     organization=organization).exists()


def test_the_token_from_registration_works_at_once(api_client):
    data = registration_data()
    token = api_client.post("/api/v1/register/agency/", data, format="json").json()["token"]

    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = caller.get("/api/v1/me/")

    assert response.status_code == 200
    me = response.json()
    assert me["username"] == data["username"]
    assert me["role"] == "admin"
    assert me["organization"]["uscc"] == data["uscc"]
    assert me["organization"]["kind"] == "agency"


def test_owner_registration_returns_kind_owner(api_client):
    data = owner_registration_data(owner_kind="enterprise")

    response = api_client.post("/api/v1/register/owner/", data, format="json")

    assert response.status_code == 201, response.json()
    organization = response.json()["organization"]
    assert organization["kind"] == "owner"
    assert organization["status"] == "active"
    assert Organization.objects.get(pk=organization["id"]).owner_kind == "enterprise"


def test_registration_needs_no_csrf_token_or_session(api_client):
    strict = APIClient(enforce_csrf_checks=True)

    response = strict.post("/api/v1/register/agency/", registration_data(), format="json")

    assert response.status_code == 201


def test_unknown_region_is_a_400_on_region(api_client):
    response = api_client.post("/api/v1/register/agency/", registration_data(region="999999"),
                               format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "region" in response.json()
    assert not Organization.objects.exists()
