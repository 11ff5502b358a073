"""`GET /api/v1/price-index/` (issue 15 §3): the pages' figures, anyone may read them, and an
unknown item or region is a 400 that names the parameter."""

import datetime as dt

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories.bidding import T0
from tests.factories.price_index import project_in_publicity, won_project

pytestmark = pytest.mark.django_db
NOW = T0 + dt.timedelta(days=70)
URL = "/api/v1/price-index/"


@pytest.fixture(autouse=True)
def fresh_cache(time_machine):
    time_machine.move_to(NOW, tick=False)
    cache.clear()
    yield
    cache.clear()


def get(**params):
    return APIClient().get(URL, params, HTTP_ACCEPT_LANGUAGE="en")


def test_an_items_figures_per_month_and_over_the_year():
    for winning in ("60000.00", "70000.00", "80000.00"):
        won_project(winning, others=("99000.00",))
    project_in_publicity("10000.00")  # not final: not counted

    response = get(service_item="EIA-R", region="500000")
    assert response.status_code == 200
    data = response.json()
    assert data["service_item"]["code"] == "EIA-R"
    assert data["region"] == {"code": "500000", "name": "重庆市（市级）"}
    assert data["min_projects"] == 5 and data["summary_months"] == 12
    assert data["summary"] == {
        "projects": 3,
        "price": {"median": "70000.00", "q1": "65000.00", "q3": "75000.00"},
        "discount_rate": {"median": "30.0", "q1": "25.0", "q3": "35.0"},
        "bids_per_project": "2.0",
    }
    months = {m["month"]: m for m in data["months"]}
    assert len(data["months"]) == 24
    assert months["2026-03"]["projects"] == 3
    assert months["2026-04"] == {"month": "2026-04", "projects": 0, "price": None,
                                 "discount_rate": None, "bids_per_project": None}


def test_without_an_item_every_active_item_over_the_year():
    won_project("60000.00")
    data = get().json()
    assert data["region"] is None
    items = {row["service_item"]["code"]: row for row in data["items"]}
    assert items["EIA-R"]["projects"] == 1
    assert items["EIA-R"]["price"]["median"] == "60000.00"
    assert items["EIA-T"]["projects"] == 0


@pytest.mark.parametrize(("params", "field", "code"), [
    ({"service_item": "NOPE"}, "service_item", "price_index.unknown_service_item"),
    ({"service_item": "EIA-R", "region": "999999"}, "region", "price_index.unknown_region"),
    ({"region": "x" * 500}, "region", "price_index.unknown_region"),
])
def test_an_unknown_item_or_region_is_refused_with_a_clear_message(params, field, code):
    response = get(**params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert body[field] == [("No service item has this code." if field == "service_item"
                            else "No region has this code.")]
