"""From registration to a final award through the API only, for each selection method.

(The agencies' service scope is set with the ORM: the providers API is another module's.)"""

import datetime as dt
import hashlib
import itertools

import pytest
import time_machine
from rest_framework.test import APIClient

from marketplace.accounts.models import Organization
from tests.factories.accounts import make_uscc
from tests.factories.bidding import T0, offer

pytestmark = pytest.mark.django_db
_numbers = itertools.count(50_000)


def register(kind, **extra):
    n = next(_numbers)
    response = APIClient().post(f"/api/v1/register/{kind}/", {
        "name": f"重庆流程测试{kind}{n}", "uscc": make_uscc(n), "region": "500103",
        "contact_name": "李四", "phone": "023-61234567", "email": f"flow{n}@example.cn",
        "username": f"flow{n}", "password": "Zhongjie-flow-2026", **extra}, format="json")
    assert response.status_code == 201, response.json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client, Organization.objects.get(pk=response.json()["organization"]["id"])


@pytest.mark.parametrize(("method", "owner_kind"), [
    ("direct", "enterprise"), ("lowest_price", "government"),
    ("comprehensive", "government"), ("random", "institution")])
def test_a_project_goes_from_registration_to_a_final_award(method, owner_kind, api_client):
    with time_machine.travel(T0, tick=False) as clock:
        owner, _owner_org = register("owner", owner_kind=owner_kind)
        agencies = [register("agency") for _ in range(3)]
        for _client, organization in agencies:
            offer(organization, promised_days=30)

        body = {"title": f"{method} 流程项目", "service_item": "EIA-R", "region": "500103",
                "description": "编制报告", "budget_cap": "100000.00",
                "selection_method": method,
                "bid_deadline": (T0 + dt.timedelta(days=4)).isoformat()}
        if method == "comprehensive":
            body["weights"] = {"price": 60, "credit": 20, "commitment": 20}
        if owner_kind == "government":  # a department pays from a budget line (issue 17 §2)
            body["budget_reference"] = "渝财建〔2026〕12号"
        created = owner.post("/api/v1/projects/", body, format="json")
        assert created.status_code == 201, created.json()
        pk = created.json()["id"]
        published = owner.post(f"/api/v1/projects/{pk}/publish/").json()
        assert published["status"] == "bidding"
        assert (published["draw_commitment"] is not None) is (method == "random")

        clock.move_to(T0 + dt.timedelta(days=1))
        receipts = {}
        for (client, organization), (price, days) in zip(
                agencies, [("88000.00", 25), ("79000.00", 28), ("91000.00", 15)], strict=True):
            response = client.post(f"/api/v1/projects/{pk}/bids/",
                                   {"price": price, "promised_days": days,
                                    "proposal": "技术方案"}, format="json")
            assert response.status_code == 201, response.json()
            receipts[organization.pk] = response.json()["receipt"]
        sealed = api_client.get(f"/api/v1/projects/{pk}/bids/").json()
        assert sealed["sealed"] and sealed["bid_count"] == 3 and sealed["results"] == []

        clock.move_to(T0 + dt.timedelta(days=4))
        opened = owner.post(f"/api/v1/projects/{pk}/open/")
        assert opened.status_code == 200 and opened.json()["status"] == "evaluating"
        bids = api_client.get(f"/api/v1/projects/{pk}/bids/").json()["results"]
        assert {b["agency"]: b["receipt"] for b in bids} == receipts

        clock.move_to(T0 + dt.timedelta(days=4, hours=2))
        chosen = next(b for b in bids if b["price"] == "91000.00")
        awarded = owner.post(f"/api/v1/projects/{pk}/award/",
                             {"bid": chosen["id"]} if method == "direct" else {},
                             format="json")
        assert awarded.status_code == 200, awarded.json()
        result = awarded.json()
        assert result["status"] == "publicity"
        expected_bid = {
            "direct": chosen["id"],
            "lowest_price": next(b["id"] for b in bids if b["price"] == "79000.00"),
            # 91000: 79000/91000×60 + 16 + 20 = 88.09 beats 79000 (60 + 16 + 15/28×20 = 86.71)
            "comprehensive": next(b["id"] for b in bids if b["price"] == "91000.00"),
        }.get(method)
        if method == "random":
            draw = result["draw"]
            assert hashlib.sha256(draw["secret"].encode()).hexdigest() == \
                published["draw_commitment"]
            candidates = sorted(receipts.values())
            seed = hashlib.sha256((draw["secret"] + "".join(candidates)).encode()).hexdigest()
            drawn = candidates[int(seed, 16) % 3]
            expected_bid = next(b["id"] for b in bids if b["receipt"] == drawn)
        assert result["award"]["bid"] == expected_bid

        loser_client = next(c for c, o in agencies if o.pk != result["award"]["agency"])
        objection = loser_client.post(f"/api/v1/projects/{pk}/objections/",
                                      {"reason": "请复核"}, format="json")
        assert objection.status_code == 201
        decided = owner.post(f"/api/v1/objections/{objection.json()['id']}/decide/",
                             {"upheld": False, "reply": "经复核，评审无误"}, format="json")
        assert decided.status_code == 200

        clock.move_to(dt.datetime.fromisoformat(result["award"]["publicity_ends_at"]))
        final = owner.post(f"/api/v1/projects/{pk}/finalize/")
        assert final.status_code == 200, final.json()
        assert final.json()["status"] == "awarded" and final.json()["award"]["final"] is True
        assert "contract" in final.json()
