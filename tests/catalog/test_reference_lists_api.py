"""`GET service-items/` and `GET regions/`: the reference data the product ships, as plain lists."""

import pytest

from marketplace.catalog.loaders import load_json

pytestmark = pytest.mark.django_db


def test_service_items_are_the_40_shipped_items(api_client):
    shipped = load_json("service_items.json")

    response = api_client.get("/api/v1/service-items/")

    assert response.status_code == 200
    items = response.json()
    assert len(shipped) == 40
    assert len(items) == 40
    assert all(set(item) == {"code", "name", "name_en", "category", "reference_days"}
               for item in items)
    by_code = {item["code"]: item for item in items}
    for expected in shipped:
        item = by_code[expected["code"]]
        assert item["name"] == expected["name"]
        assert item["name_en"] == expected.get("name_en", "")
        assert item["category"] == expected.get("category", "")
        assert item["reference_days"] == (expected.get("reference_days") or 30)


def test_a_known_service_item_reads_as_shipped(api_client):
    items = {item["code"]: item for item in api_client.get("/api/v1/service-items/").json()}

    assert items["EIA-R"] == {
        "code": "EIA-R",
        "name": "环境影响评价（报告书）",
        "name_en": "Environmental impact assessment (report)",
        "category": "环境评价",
        "reference_days": 60,
    }


def test_regions_are_chongqings_38_districts_and_counties_plus_the_city_level(api_client):
    response = api_client.get("/api/v1/regions/")

    assert response.status_code == 200
    regions = response.json()
    assert len(regions) == 39
    assert all(set(region) == {"code", "name"} for region in regions)
    assert {"code": "500000", "name": "重庆市（市级）"} in regions
    assert {"code": "500103", "name": "渝中区"} in regions
    assert [r["code"] for r in regions] == sorted(r["code"] for r in regions)
    assert all(r["code"].startswith("50") and len(r["code"]) == 6 for r in regions)


def test_reference_lists_need_no_login_and_ignore_paging(api_client):
    response = api_client.get("/api/v1/regions/?page=2&page_size=5")

    assert response.status_code == 200
    assert isinstance(response.json(), list)
    assert len(response.json()) == 39
