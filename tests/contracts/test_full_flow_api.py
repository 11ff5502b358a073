"""From registration to a completed contract through the API only (the agencies' service
scope is set with the ORM: the providers API is another module's)."""

import datetime as dt
import itertools

import pytest
import time_machine
from rest_framework.test import APIClient

from marketplace.accounts.models import Organization
from tests.factories.accounts import make_uscc
from tests.factories.bidding import T0, offer
from tests.factories.providers import TINY_PDF, upload

pytestmark = pytest.mark.django_db
PASSWORD = "Zhongjie-flow-2026"
_numbers = itertools.count(70_000)


def register(kind, **extra):
    n = next(_numbers)
    response = APIClient().post(f"/api/v1/register/{kind}/", {
        "name": f"重庆合同流程{kind}{n}", "uscc": make_uscc(n), "region": "500103",
        "contact_name": "王五", "phone": "023-61234567", "email": f"contract{n}@example.cn",
        "username": f"contract{n}", "password": PASSWORD, **extra}, format="json")
    assert response.status_code == 201, response.json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client, Organization.objects.get(pk=response.json()["organization"]["id"])


def ok(response, status=200):
    assert response.status_code == status, response.json()
    return response.json()


def test_an_award_becomes_a_signed_delivered_and_accepted_contract():
    with time_machine.travel(T0, tick=False) as clock:
        owner, owner_org = register("owner", owner_kind="government")
        agencies = [register("agency") for _ in range(3)]
        for _client, organization in agencies:
            offer(organization, promised_days=30)
        pk = ok(owner.post("/api/v1/projects/", {
            "title": "合同流程项目", "service_item": "EIA-R", "region": "500103",
            "description": "编制环境影响报告书", "budget_cap": "100000.00",
            "selection_method": "lowest_price", "budget_reference": "渝财建〔2026〕12号",
            "bid_deadline": (T0 + dt.timedelta(days=4)).isoformat()}, format="json"),
            201)["id"]
        ok(owner.post(f"/api/v1/projects/{pk}/publish/"))
        clock.move_to(T0 + dt.timedelta(days=1))
        for (client, _org), price in zip(agencies, ["88000.00", "79000.00", "91000.00"],
                                         strict=True):
            ok(client.post(f"/api/v1/projects/{pk}/bids/",
                           {"price": price, "promised_days": 25, "proposal": "方案"},
                           format="json"), 201)
        clock.move_to(T0 + dt.timedelta(days=4))
        ok(owner.post(f"/api/v1/projects/{pk}/open/"))
        award = ok(owner.post(f"/api/v1/projects/{pk}/award/", {}, format="json"))["award"]
        clock.move_to(dt.datetime.fromisoformat(award["publicity_ends_at"]))
        contract_id = ok(owner.post(f"/api/v1/projects/{pk}/finalize/"))["contract"]
        assert contract_id is not None
        agency = next(c for c, o in agencies if o.pk == award["agency"])

        contract = ok(agency.get(f"/api/v1/contracts/{contract_id}/"))
        assert contract["status"] == "awaiting_signatures"
        assert contract["owner"] == owner_org.pk and contract["agency"] == award["agency"]
        assert contract["price"] == "79000.00" and contract["promised_days"] == 25
        assert ok(owner.get("/api/v1/contracts/"))["results"][0]["id"] == contract_id

        clock.move_to(dt.datetime.fromisoformat(award["publicity_ends_at"])
                      + dt.timedelta(hours=2))
        signed = ok(agency.post(f"/api/v1/contracts/{contract_id}/sign/",
                                {"password": PASSWORD, "text_sha256": contract["text_sha256"]},
                                format="json"))
        assert signed["status"] == "awaiting_signatures"
        signed = ok(owner.post(f"/api/v1/contracts/{contract_id}/sign/",
                               {"password": PASSWORD}, format="json"))
        assert signed["status"] == "active" and len(signed["signatures"]) == 2

        start = dt.datetime.fromisoformat(signed["activated_at"])
        clock.move_to(start + dt.timedelta(days=10))
        delivered = ok(agency.post(f"/api/v1/contracts/{contract_id}/deliver/",
                                   {"note": "报告书初稿", "files": [upload("a.pdf", TINY_PDF)]},
                                   format="multipart"))
        assert delivered["status"] == "delivered"
        rejected = ok(owner.post(f"/api/v1/contracts/{contract_id}/reject/",
                                 {"reason": "请补充监测数据"}, format="json"))
        assert rejected["status"] == "active"
        clock.move_to(start + dt.timedelta(days=20))
        ok(agency.post(f"/api/v1/contracts/{contract_id}/deliver/",
                       {"note": "报告书终稿"}, format="multipart"))
        completed = ok(owner.post(f"/api/v1/contracts/{contract_id}/accept/"))
        assert completed["status"] == "completed"
        assert [d["outcome"] for d in completed["deliveries"]] == ["rejected", "accepted"]
        assert completed["service_clock"]["elapsed_days"] == 20.0
        assert completed["service_clock"]["overdue_days"] == 0
