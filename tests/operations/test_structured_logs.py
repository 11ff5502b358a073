"""Structured logs (issue 14 §2): one JSON object per line, a request id on every line of a
request and on the tasks it enqueues, and no personal data or bid content."""

import datetime as dt
import io
import json
import logging
import logging.config

import pytest
import time_machine
from django.conf import settings

from marketplace.operations.logs import configure
from marketplace.outbox.models import OutboxMessage
from tests.bidding.conftest import api_as
from tests.factories.bidding import ProjectFactory, agency_offering, published_project, user_of

pytestmark = pytest.mark.django_db
PRICE, PROPOSAL = "76543.21", "我们的独家技术方案细节"


@pytest.fixture
def json_lines():
    """The production configuration (LOG_FORMAT=json), its output captured."""
    stream = io.StringIO()
    config = configure("json", "INFO")
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logging.config.dictConfig(settings.LOGGING)


def submit(agency, project, **extra):
    with time_machine.travel(project.published_at + dt.timedelta(hours=1), tick=False):
        return api_as(agency).post(f"/api/v1/projects/{project.pk}/bids/",
                                   {"price": PRICE, "promised_days": 20, "proposal": PROPOSAL},
                                   format="json", **extra)


def test_a_bid_request_logs_json_lines_with_its_id_and_no_private_data(json_lines):
    project, agency = published_project(), agency_offering()
    user = user_of(agency)

    response = submit(agency, project, REMOTE_ADDR="198.51.100.7",
                      HTTP_USER_AGENT="Secret-Browser/1.0")
    assert response.status_code == 201, response.content

    request_id = response["X-Request-ID"]
    lines = [line for line in json_lines() if line.get("request_id") == request_id]
    assert {"request_started", "request_finished"} <= {line["event"] for line in lines}
    assert all({"timestamp", "level", "logger"} <= set(line) for line in lines)
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in json_lines())
    for private in (PRICE, PROPOSAL, "198.51.100.7", "Secret-Browser", user.email):
        assert private not in text


def test_the_tasks_a_request_enqueues_carry_its_id(json_lines):
    project = ProjectFactory()
    agency_offering()  # someone to tell about the publication

    with time_machine.travel(project.bid_deadline - dt.timedelta(days=10), tick=False):
        response = api_as(project.owner).post(f"/api/v1/projects/{project.pk}/publish/")
    assert response.status_code == 200, response.content

    request_id = response["X-Request-ID"]
    enqueued = OutboxMessage.objects.filter(task_name="bidding.notify_matching_agencies")
    # The worker binds it from the task's headers: the smoke test of the production layout
    # (tests/operations/test_production_layout.py) follows one id from gunicorn to the worker.
    assert [message.request_id for message in enqueued] == [request_id]


def test_a_client_supplied_request_id_is_not_trusted(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="forged-id")

    assert response["X-Request-ID"] != "forged-id"
    assert len(response["X-Request-ID"]) == 36  # a fresh UUID


def test_fields_naming_private_data_are_dropped_whoever_logs_them(json_lines):
    import structlog

    structlog.get_logger("tests").info("something", email="a@b.cn", price="1.00", project=7)

    line = json_lines()[-1]
    assert line["event"] == "something" and line["project"] == 7
    assert "email" not in line and "price" not in line
