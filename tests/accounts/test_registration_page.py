"""Zero threshold on the pages: one form creates the organization and its admin, and logs in."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from marketplace.accounts.models import Membership, Organization
from marketplace.audit.models import AuditEntry
from tests.accounts.helpers import owner_registration_data, registration_data

pytestmark = pytest.mark.django_db


def test_registration_pages_show_their_forms(client):
    for url in ("/accounts/register/agency/", "/accounts/register/owner/"):
        response = client.get(url)
        assert response.status_code == 200
        assert 'name="uscc"' in response.content.decode()
    assert 'name="owner_kind"' in client.get("/accounts/register/owner/").content.decode()


def test_agency_registers_on_the_page_and_lands_logged_in_in_its_workspace(client):
    data = registration_data()

    response = client.post("/accounts/register/agency/", data)

    assert response.status_code == 302
    assert response.url == reverse("workspace")
    organization = Organization.objects.get(uscc=data["uscc"])
    assert organization.kind == Organization.Kind.AGENCY
    assert organization.owner_kind == ""
    assert organization.status == Organization.Status.ACTIVE
    assert organization.region.code == "500103"
    user = get_user_model().objects.get(username=data["username"])
    assert user.check_password(data["password"])
    assert user.membership.organization == organization
    assert user.membership.role == Membership.Role.ADMIN
    assert int(client.session["_auth_user_id"]) == user.pk
    entry = AuditEntry.objects.get(action="organization.registered")
    assert (entry.actor, entry.organization) == (user, organization)
    assert entry.data["uscc"] == data["uscc"]
    workspace = client.get(response.url)
    assert workspace.status_code == 200
    assert organization.name in workspace.content.decode()


def test_owner_registers_on_the_page_with_its_owner_kind(client):
    data = owner_registration_data(owner_kind="institution")

    response = client.post("/accounts/register/owner/", data)

    assert response.status_code == 302
    assert response.url == reverse("workspace")
    organization = Organization.objects.get(uscc=data["uscc"])
    assert organization.kind == Organization.Kind.OWNER
    assert organization.owner_kind == Organization.OwnerKind.INSTITUTION
    assert organization.status == Organization.Status.ACTIVE
    user = get_user_model().objects.get(username=data["username"])
    assert user.membership.role == Membership.Role.ADMIN
    assert int(client.session["_auth_user_id"]) == user.pk
    assert AuditEntry.objects.filter(action="organization.registered",
                                     organization=organization).count() == 1


def test_a_lower_case_uscc_with_spaces_is_stored_normalized(client):
    data = registration_data()
    typed = data["uscc"].lower()[:8] + " " + data["uscc"].lower()[8:]

    client.post("/accounts/register/agency/", {**data, "uscc": typed})

    assert Organization.objects.filter(uscc=data["uscc"]).exists()


def test_owner_page_without_owner_kind_shows_a_form_error_and_creates_nothing(english):
    data = owner_registration_data()
    del data["owner_kind"]

    response = english.post("/accounts/register/owner/", data)

    assert response.status_code == 200
    assert "owner_kind" in response.context["form"].errors
    assert not Organization.objects.exists()
