"""GET projects/ and projects/{id}/: filters, drafts for their owner, the detail's fields."""

from decimal import Decimal

import pytest

from tests.bidding.conftest import api_as
from tests.factories.accounts import OwnerFactory, region
from tests.factories.bidding import T0, ProjectFactory, published_project, service_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    owner = OwnerFactory()
    return {
        "owner": owner,
        "draft": ProjectFactory(owner=owner, title="草稿项目"),
        "cheap": published_project(owner=owner, title="小型环评", budget_cap=Decimal("50000")),
        "dear": published_project(title="大型能评", budget_cap=Decimal("500000"),
                                  service_item=service_item("ENERGY"),
                                  region=region("500104")),
    }


def ids(response):
    assert response.status_code == 200, response.content
    return {p["id"] for p in response.json()["results"]}


def test_the_public_list_is_paginated_and_leaves_drafts_out(catalogue, api_client):
    response = api_client.get("/api/v1/projects/")
    assert set(response.json()) >= {"count", "next", "previous", "results"}
    assert ids(response) == {catalogue["cheap"].pk, catalogue["dear"].pk}


def test_the_owner_also_sees_its_drafts(catalogue):
    listed = ids(api_as(catalogue["owner"]).get("/api/v1/projects/"))
    assert catalogue["draft"].pk in listed
    assert catalogue["draft"].pk not in ids(api_as(OwnerFactory()).get("/api/v1/projects/"))


@pytest.mark.parametrize(("query", "expected"), [
    ("status=bidding", {"cheap", "dear"}),
    ("status=draft", set()),
    ("service_item=ENERGY", {"dear"}),
    ("region=500104", {"dear"}),
    ("budget_min=100000", {"dear"}),
    ("budget_max=100000", {"cheap"}),
    ("budget_min=40000&budget_max=60000", {"cheap"}),
])
def test_filters(catalogue, api_client, query, expected):
    assert ids(api_client.get(f"/api/v1/projects/?{query}")) == {
        catalogue[k].pk for k in expected}


def test_owner_filter(catalogue, api_client):
    assert ids(api_client.get(f"/api/v1/projects/?owner={catalogue['owner'].pk}")) == {
        catalogue["cheap"].pk}


def test_full_text_search_finds_published_projects(api_client,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        wanted = published_project(title="嘉陵江大桥环境影响评价", now=T0)
        published_project(title="观音桥商圈节能评估", now=T0)
        ProjectFactory(title="嘉陵江草稿")
    assert ids(api_client.get("/api/v1/projects/?q=嘉陵江")) == {wanted.pk}


def test_the_detail_carries_the_contracts_fields(catalogue, api_client):
    body = api_client.get(f"/api/v1/projects/{catalogue['cheap'].pk}/").json()
    for field in ("id", "title", "service_item", "status", "budget_cap", "selection_method",
                  "bid_deadline", "bid_count", "draw_commitment", "draw", "award", "contract",
                  "description", "region", "requirements", "min_bidders", "complaint_contact",
                  "quote_format"):
        assert field in body
    assert body["service_item"] == "EIA-R" and body["budget_cap"] == "50000.00"
    assert body["exclusions"] is None  # only the owner and regulators see them


def test_an_unknown_project_is_404(api_client, db):
    refusal = api_client.get("/api/v1/projects/999999/")
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
