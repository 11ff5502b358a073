"""HTTPS and public addresses only in production (SSRF: docs/decisions.md "Webhooks"), checked
at registration and again at delivery; manual resend repeats the event unchanged."""

import json

import pytest

from marketplace.errors import DomainError
from marketplace.webhooks import services
from marketplace.webhooks.delivery import delivery_attempt, emit
from marketplace.webhooks.models import Delivery
from marketplace.webhooks.targets import TargetRefused, check_target_url
from tests.conftest import client_for
from tests.factories.bidding import agency_offering, user_of
from tests.webhooks.conftest import register

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def production(settings):
    settings.WEBHOOKS_ALLOW_LOCAL_TARGETS = False


@pytest.mark.parametrize(("url", "code"), [
    ("http://hooks.example.cn/x", "webhook.https_required"),
    ("https://127.0.0.1/x", "webhook.private_target"),
    ("https://localhost:8443/x", "webhook.private_target"),
    ("https://10.1.2.3/x", "webhook.private_target"),
    ("https://192.168.0.10/x", "webhook.private_target"),
    ("https://169.254.169.254/latest/meta-data/", "webhook.private_target"),
    ("https://[::1]/x", "webhook.private_target"),
    ("https://[::ffff:10.0.0.1]/x", "webhook.private_target"),
    ("https://user:pw@hooks.example.cn/x", "webhook.url_credentials"),
    ("hooks.example.cn/x", "webhook.url_invalid"),
])
def test_production_refuses_plain_http_and_private_or_local_targets(production, url, code):
    with pytest.raises(TargetRefused) as refused:
        check_target_url(url)
    assert refused.value.code == code
    assert refused.value.field == "url"


def test_the_api_answers_the_refusal_on_the_url_field(production):
    agency = agency_offering()
    answer = client_for(user_of(agency)).post(
        "/api/v1/webhooks/", {"url": "https://127.0.0.1/x", "events": ["bid.opened"]},
        format="json", **EN)
    assert answer.status_code == 400
    assert answer.json()["code"] == "webhook.private_target"


def test_development_accepts_http_on_loopback(settings):
    settings.WEBHOOKS_ALLOW_LOCAL_TARGETS = True
    check_target_url("http://127.0.0.1:8000/hook")


def test_a_delivery_to_an_address_refused_now_is_a_failed_attempt_without_a_request(
        receiver, settings):
    agency = agency_offering()
    endpoint, _secret = register(agency, receiver.url, ["sanction.listed"])
    emit("sanction.listed", {"entry": 1}, organizations=[agency])
    settings.WEBHOOKS_ALLOW_LOCAL_TARGETS = False  # e.g. registered before the rules changed
    settings.LANGUAGE_CODE = "en"
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery_attempt(delivery_id=delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert delivery.last_response_code is None
    assert "https://" in delivery.last_error
    assert receiver.requests == []


def test_resend_sends_the_same_event_again_unchanged(receiver):
    agency = agency_offering()
    endpoint, _secret = register(agency, receiver.url, ["sanction.listed"])
    emit("sanction.listed", {"entry": 1}, organizations=[agency])
    first = Delivery.objects.get()
    delivery_attempt(delivery_id=first.pk)
    api = client_for(user_of(agency))
    answer = api.post(f"/api/v1/webhooks/{endpoint.pk}/deliveries/{first.pk}/resend/")
    assert answer.status_code == 201
    again = Delivery.objects.get(pk=answer.json()["id"])
    assert again.resend_of == first and again.event_id == first.event_id
    delivery_attempt(delivery_id=again.pk)
    assert len(receiver.requests) == 2
    assert receiver.requests[0].body == receiver.requests[1].body
    assert json.loads(receiver.requests[1].body)["id"] == str(first.event_id)
    log = api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").json()["results"]
    assert [(d["id"], d["status"], d["last_response_code"]) for d in log] == [
        (again.pk, "succeeded", 200), (first.pk, "succeeded", 200)]


def test_resend_is_refused_while_pending_or_when_the_endpoint_is_disabled(receiver):
    agency = agency_offering()
    admin = user_of(agency)
    endpoint, _secret = register(agency, receiver.url, ["sanction.listed"])
    emit("sanction.listed", {"entry": 1}, organizations=[agency])
    delivery = Delivery.objects.get()
    with pytest.raises(DomainError) as pending:
        services.delivery_resend(delivery=delivery, by=admin)
    assert (pending.value.code, pending.value.status_code) == ("webhook.delivery_pending", 409)
    delivery_attempt(delivery_id=delivery.pk)
    services.endpoint_set_active(endpoint=endpoint, active=False, by=admin)
    answer = client_for(admin).post(
        f"/api/v1/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/resend/", **EN)
    assert answer.status_code == 409 and answer.json()["code"] == "webhook.endpoint_disabled"
    assert Delivery.objects.count() == 1
