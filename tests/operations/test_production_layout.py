"""The distributed layout, proven (issue 14 §2): gunicorn with 2 workers, a Celery worker and beat
on the local Redis, PostgreSQL, `DJANGO_DEBUG=0` with collected static files; one whole tender
over HTTP (register, publish, bid, opened by the beat at the deadline, award, finalized by the
beat after publicity, both signatures). Nobody calls open or finalize: if the queue did not
carry the timed transitions, the project would stay where it was.

It runs once, in the PostgreSQL half of `make test`. It skips, saying why, only where Redis or
PostgreSQL cannot be reached; under `CI=true` that is a failure."""

import datetime as dt
import json
import os

import pytest
import requests

from tests.accounts.helpers import STRONG_PASSWORD
from tests.factories.accounts import make_uscc
from tests.operations.production_layout import Deployment, start_local_redis

BUDGET = "100000.00"


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("the production layout runs once, in the PostgreSQL half of the suite")
    if not start_local_redis():
        unavailable("Redis cannot be reached or started on 127.0.0.1:6379")
    with Deployment(url, tmp_path_factory.mktemp("production")) as running:
        yield running


def register(deployment: Deployment, kind: str, n: int, **extra) -> str:
    data = {"name": f"冒烟测试{kind}{n}有限公司", "uscc": make_uscc(88000 + n),
            "region": "500103", "contact_name": "王测", "phone": "023-63000000",
            "email": f"smoke{n}@example.cn", "username": f"smoke_{kind}_{n}",
            "password": STRONG_PASSWORD, **extra}
    answer = deployment.call("POST", f"register/{kind}/", json=data)
    assert answer.status_code == 201, answer.text
    return answer.json()["token"]


def test_a_whole_tender_through_gunicorn_redis_celery_and_beat(deployment):
    d = deployment
    # Static files are collected and served by the web process (whitenoise, hashed names).
    home = requests.get(f"{d.base}/", timeout=30)
    assert home.status_code == 200
    assert "DEBUG" not in home.text and "Traceback" not in home.text

    item = d.call("GET", "service-items/").json()[0]["code"]
    owner = register(d, "owner", 1, owner_kind="enterprise")
    agencies = [register(d, "agency", n) for n in (2, 3, 4)]
    for token in agencies:
        offered = d.call("POST", "agencies/me/services/", token, json={
            "service_item": item, "promised_days": 20, "fee_standard": "按国家标准",
            "service_standard": "按规范"})
        assert offered.status_code == 201, offered.text

    deadline = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=25)
    created = d.call("POST", "projects/", owner, json={
        "title": "冒烟测试环境影响评价", "service_item": item, "description": "生产布局冒烟测试",
        "region": "500103", "budget_cap": BUDGET, "selection_method": "lowest_price",
        "bid_deadline": deadline.isoformat(), "funding_source": "own_funds"})
    assert created.status_code == 201, created.text
    project = created.json()["id"]
    published = d.call("POST", f"projects/{project}/publish/", owner)
    assert published.status_code == 200, published.text
    publish_request = published.headers["X-Request-ID"]

    for token, price in zip(agencies, ("91000.00", "88000.00", "95000.00"), strict=True):
        submitted = d.call("POST", f"projects/{project}/bids/", token, json={
            "price": price, "promised_days": 20, "proposal": "技术方案"})
        assert submitted.status_code == 201, submitted.text

    # The deadline passes; the beat finds the project due and the worker opens it.
    opened = d.wait_for(f"projects/{project}/", owner, "status", "evaluating")
    assert opened["bid_count"] == 3

    awarded = d.call("POST", f"projects/{project}/award/", owner, json={})
    assert awarded.status_code == 200, awarded.text
    assert awarded.json()["status"] == "publicity"

    # Publicity ends; the beat finalizes the award and the contract is drawn up.
    final = d.wait_for(f"projects/{project}/", owner, "status", "awarded")
    assert final["award"]["price"] == "88000.00"
    contract = final["contract"]
    winner = agencies[1]
    for token in (owner, winner):
        signed = d.call("POST", f"contracts/{contract}/sign/", token,
                        json={"password": STRONG_PASSWORD})
        assert signed.status_code == 200, signed.text
    assert d.call("GET", f"contracts/{contract}/", owner).json()["status"] == "active"

    # The timed transitions went through the real queue: the worker ran them.
    worker_lines = [json.loads(line) for line in d.log("worker").splitlines()
                    if line.startswith("{")]
    started = [line for line in worker_lines if line.get("event") == "task_started"]
    ran = {line["task"] for line in started}
    assert {"bidding.open_due_projects", "bidding.finalize_due_awards"} <= ran, ran
    # And the request id of the publication followed its task into the worker.
    assert [line["request_id"] for line in started
            if line["task"] == "bidding.notify_matching_agencies"] == [publish_request]
    for line in worker_lines:
        assert "88000.00" not in json.dumps(line, ensure_ascii=False)  # no bid content

    metrics = requests.get(f"{d.base}/metrics", timeout=30).text
    assert "marketplace_projects_opened_total 1.0" in metrics
    assert "marketplace_bids_submitted_total 3.0" in metrics
    assert "django_http_requests_total_by_method_total" in metrics
