"""Issue 17 §5, the done-criterion: a webhook registered to a receiver inside the test gets
the matching published project, signed (checked with the documentation's own code); a 500 is
retried with the same event id and the same body."""

import datetime as dt
import json

import pytest
import time_machine

from marketplace.webhooks import tasks
from marketplace.webhooks.models import Delivery
from tests.factories.bidding import agency_offering, published_project
from tests.webhooks.conftest import register

pytestmark = pytest.mark.django_db


def test_a_published_project_reaches_the_receiver_signed_and_a_500_is_retried_unchanged(
        receiver, verify_signature, django_capture_on_commit_callbacks):
    agency = agency_offering()
    _endpoint, secret = register(agency, receiver.url, ["project.published"])
    receiver.answer(500)  # the first attempt fails, the next ones succeed

    with django_capture_on_commit_callbacks(execute=True):
        project = published_project()

    assert len(receiver.requests) == 1
    first = receiver.requests[0]
    assert first.path == "/hooks/marketplace"
    assert first.headers["Content-Type"].startswith("application/json")
    assert first.headers["Marketplace-Event"] == "project.published"
    assert verify_signature(first.body, first.headers["Marketplace-Signature"], secret)
    assert not verify_signature(first.body, first.headers["Marketplace-Signature"],
                                "whsec_not-the-secret")
    assert first.json["event"] == "project.published"
    assert first.json["data"]["project"]["id"] == project.pk
    assert first.json["data"]["project"]["title"] == project.title
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (
        "pending", 1, 500)

    # The beat task finds the retry due a minute later and sends it.
    with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1)):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.deliver_due() == 1
        second = receiver.requests[1]
        assert verify_signature(second.body, second.headers["Marketplace-Signature"], secret)

    assert len(receiver.requests) == 2
    assert second.body == first.body
    assert second.json["id"] == first.json["id"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (
        "succeeded", 2, 200)


def test_the_body_is_id_event_created_at_and_data(receiver, django_capture_on_commit_callbacks):
    agency = agency_offering()
    register(agency, receiver.url, ["project.published"])
    with django_capture_on_commit_callbacks(execute=True):
        published_project()
    body = json.loads(receiver.requests[0].body)
    assert sorted(body) == ["created_at", "data", "event", "id"]
