"""Only the organization's administrators manage its endpoints (staff: 403; another
organization: 404), and the signing secret is shown once: in the answer that makes it (or
rotates it), never in a later read, and never stored in clear."""

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.webhooks import secrets
from marketplace.webhooks.models import Endpoint
from tests.conftest import client_for
from tests.factories.accounts import member_of
from tests.factories.bidding import agency_offering, user_of
from tests.webhooks.conftest import register

pytestmark = pytest.mark.django_db
URL = "http://127.0.0.1:9/hook"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def agency():
    return agency_offering()


def test_an_admin_registers_an_endpoint_and_gets_its_secret_once(agency):
    api = client_for(user_of(agency))
    created = api.post("/api/v1/webhooks/", {"url": URL, "events": ["bid.opened"]},
                       format="json")
    assert created.status_code == 201
    body = created.json()
    assert set(body) >= {"id", "url", "events", "secret", "active"}
    assert body["secret"].startswith("whsec_") and body["active"] is True
    endpoint = Endpoint.objects.get(pk=body["id"])
    assert secrets.unseal(endpoint) == body["secret"]
    assert body["secret"] not in (endpoint.secret_sealed + endpoint.secret_wrapped_key)
    listed = api.get("/api/v1/webhooks/").json()["results"]
    assert [e["id"] for e in listed] == [endpoint.pk]
    assert "secret" not in listed[0]
    assert "secret" not in api.get(f"/api/v1/webhooks/{endpoint.pk}/").json()


def test_rotating_gives_a_new_secret_once_and_the_old_one_stops(agency):
    endpoint, old = register(agency, URL, ["bid.opened"])
    api = client_for(user_of(agency))
    rotated = api.post(f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/")
    assert rotated.status_code == 200
    new = rotated.json()["secret"]
    endpoint.refresh_from_db()
    assert new != old and secrets.unseal(endpoint) == new


def test_staff_of_the_organization_are_refused(agency):
    endpoint, _secret = register(agency, URL, ["bid.opened"])
    staff = member_of(agency, role="staff")
    api = client_for(staff)
    refused = api.get("/api/v1/webhooks/", **EN)
    assert refused.status_code == 403 and refused.json()["code"] == "not_allowed"
    assert api.post("/api/v1/webhooks/", {"url": URL, "events": ["bid.opened"]},
                    format="json").status_code == 403
    assert api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").status_code == 403
    assert api.post(f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/").status_code == 403
    page = Client()
    page.force_login(staff)
    answer = page.get(reverse("webhooks:endpoints"), **EN)
    assert answer.status_code == 403
    assert "Only an administrator of the organization can do this." in answer.text
    assert Endpoint.objects.count() == 1


def test_another_organization_s_admin_does_not_find_the_endpoint(agency):
    endpoint, _secret = register(agency, URL, ["bid.opened"])
    other = client_for(user_of(agency_offering()))
    assert other.get(f"/api/v1/webhooks/{endpoint.pk}/").status_code == 404
    assert other.patch(f"/api/v1/webhooks/{endpoint.pk}/", {"active": False},
                       format="json").status_code == 404
    assert other.get("/api/v1/webhooks/").json()["results"] == []
    endpoint.refresh_from_db()
    assert endpoint.active


def test_the_page_shows_the_secret_after_creation_and_never_again(agency):
    page = Client()
    page.force_login(user_of(agency))
    created = page.post(reverse("webhooks:endpoints"),
                        {"url": URL, "events": ["bid.opened", "award.final"]}, **EN)
    assert created.status_code == 200
    endpoint = Endpoint.objects.get()
    secret = secrets.unseal(endpoint)
    assert secret in created.text
    assert "it is shown this once only" in created.text
    assert endpoint.events == ["bid.opened", "award.final"]
    again = page.get(reverse("webhooks:endpoint", args=[endpoint.pk]), **EN)
    assert again.status_code == 200 and secret not in again.text
    rotated = page.post(reverse("webhooks:endpoint_rotate", args=[endpoint.pk]), **EN)
    endpoint.refresh_from_db()
    assert secrets.unseal(endpoint) in rotated.text


def test_bad_input_is_a_400_with_a_clear_message_and_nothing_written(agency):
    api = client_for(user_of(agency))
    no_events = api.post("/api/v1/webhooks/", {"url": URL, "events": []}, format="json", **EN)
    assert no_events.status_code == 400
    assert no_events.json()["code"] == "webhook.events_missing"
    unknown = api.post("/api/v1/webhooks/", {"url": URL, "events": ["bid.eaten"]},
                       format="json", **EN)
    assert unknown.status_code == 400 and "events" in unknown.json()
    bad_url = api.post("/api/v1/webhooks/", {"url": "ftp://x", "events": ["bid.opened"]},
                       format="json", **EN)
    assert bad_url.status_code == 400 and bad_url.json()["code"] == "webhook.url_invalid"
    page = Client()
    page.force_login(user_of(agency))
    form = page.post(reverse("webhooks:endpoints"), {"url": URL}, **EN)
    assert form.status_code == 400 and "This field is required." in form.text
    assert not Endpoint.objects.exists()
