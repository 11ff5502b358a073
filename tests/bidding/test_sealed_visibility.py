"""Sealed bids: before opening nobody but the bidding agency sees a bid's price, content or
bidder — on any endpoint, for any role (owner, other agency, regulator, the public); only the
count. After opening, the bids are public."""

import datetime as dt

import pytest
import time_machine

from tests.bidding.conftest import api_as
from tests.conftest import client_for
from tests.factories.accounts import RegulatorFactory, member_of
from tests.factories.bidding import T0, agency_offering, bid, open_bids

pytestmark = pytest.mark.django_db
PRICES = {"a": "87654.32", "b": "76543.21"}
PROPOSALS = {"a": "PROPOSAL-ALPHA-SECRET", "b": "PROPOSAL-BRAVO-SECRET"}
PUBLIC_FIELDS = {"id", "agency", "price", "promised_days", "valid", "rank", "receipt",
                 "abnormally_low"}


@pytest.fixture
def market(project):
    a, b, c = agency_offering(), agency_offering(), agency_offering()
    bids = {"a": bid(project, a, PRICES["a"], proposal=PROPOSALS["a"]),
            "b": bid(project, b, PRICES["b"], proposal=PROPOSALS["b"])}
    with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
        assert api_as(a).post(f"/api/v1/projects/{project.pk}/questions/",
                              {"text": "问题"}, format="json").status_code == 201
    return {"project": project, "a": a, "b": b, "c": c, "bids": bids,
            "regulator": RegulatorFactory()}


def client(market, role, api_client):
    if role == "anonymous":
        return api_client
    if role == "regulator":
        return client_for(member_of(market["regulator"]))
    if role == "owner":
        return api_as(market["project"].owner)
    return api_as(market[{"other_agency": "c", "bidder": "a"}[role]])


def secrets_of(market, key):
    agency = market[key]
    offer = market["bids"][key]
    return [PRICES[key], PRICES[key].split(".")[0], PROPOSALS[key], agency.name, agency.uscc,
            offer.receipt, offer.salt]


def read_everything(market, viewer):
    pk = market["project"].pk
    urls = ["/api/v1/projects/", f"/api/v1/projects/{pk}/", f"/api/v1/projects/{pk}/bids/",
            f"/api/v1/projects/{pk}/questions/", f"/api/v1/projects/{pk}/amendments/",
            f"/api/v1/projects/{pk}/objections/", "/api/v1/projects/?q=&status=bidding",
            f"/api/v1/bids/{market['bids']['a'].pk}/", f"/api/v1/bids/{market['bids']['b'].pk}/"]
    return {url: viewer.get(url) for url in urls}


@pytest.mark.parametrize("role", ["owner", "other_agency", "regulator", "anonymous"])
def test_before_opening_no_endpoint_shows_anyone_a_bid(market, role, api_client):
    responses = read_everything(market, client(market, role, api_client))
    leaks = secrets_of(market, "a") + secrets_of(market, "b")
    for url, response in responses.items():
        text = response.content.decode()
        for secret in leaks:
            assert secret not in text, f"{role} sees {secret!r} at {url}"
    pk = market["project"].pk
    bids = responses[f"/api/v1/projects/{pk}/bids/"].json()
    assert bids["sealed"] is True and bids["bid_count"] == 2 and bids["results"] == []
    assert responses[f"/api/v1/projects/{pk}/"].json()["bid_count"] == 2
    for key in ("a", "b"):
        refusal = responses[f"/api/v1/bids/{market['bids'][key].pk}/"]
        assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")


def test_before_opening_the_bidder_sees_its_own_bid_and_nothing_of_the_others(market):
    viewer = api_as(market["a"])
    responses = read_everything(market, viewer)
    pk = market["project"].pk
    bids = responses[f"/api/v1/projects/{pk}/bids/"].json()
    assert bids["sealed"] is True and bids["bid_count"] == 2
    [own] = bids["results"]
    assert own["price"] == PRICES["a"] and own["proposal"] == PROPOSALS["a"]
    assert own["receipt"] == market["bids"]["a"].receipt and own["salt"]
    assert responses[f"/api/v1/bids/{market['bids']['a'].pk}/"].status_code == 200
    refusal = responses[f"/api/v1/bids/{market['bids']['b'].pk}/"]
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
    for url, response in responses.items():
        for secret in secrets_of(market, "b"):
            assert secret not in response.content.decode(), f"bidder sees {secret!r} at {url}"


def test_objections_are_not_listed_to_the_public(market, api_client):
    url = f"/api/v1/projects/{market['project'].pk}/objections/"
    refusal = api_client.get(url)
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")
    refusal = api_as(market["c"]).get(url)
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")


@pytest.mark.parametrize("role", ["owner", "other_agency", "regulator", "anonymous", "bidder"])
def test_after_opening_every_bid_is_public(market, role, api_client):
    bid(market["project"], market["c"], "80000.00")
    open_bids(market["project"])
    viewer = client(market, role, api_client)
    body = viewer.get(f"/api/v1/projects/{market['project'].pk}/bids/").json()
    assert body["sealed"] is False and body["count"] == 3
    by_agency = {b["agency"]: b for b in body["results"]}
    for key in ("a", "b"):
        shown = by_agency[market[key].pk]
        assert set(shown) >= PUBLIC_FIELDS
        assert shown["price"] == PRICES[key] and shown["receipt"] == market["bids"][key].receipt
    # Ranked by price for lowest_price: b (76543.21) first.
    assert body["results"][0]["agency"] == market["b"].pk and body["results"][0]["rank"] == 1
    detail = viewer.get(f"/api/v1/bids/{market['bids']['b'].pk}/")
    assert detail.status_code == 200 and detail.json()["price"] == PRICES["b"]


@pytest.mark.parametrize(("role", "sees_proposal"), [
    ("owner", True), ("regulator", True), ("other_agency", False), ("anonymous", False)])
def test_after_opening_proposals_go_to_the_owner_and_regulators_only(market, role,
                                                                     sees_proposal, api_client):
    bid(market["project"], market["c"], "80000.00")
    open_bids(market["project"])
    viewer = client(market, role, api_client)
    text = viewer.get(f"/api/v1/projects/{market['project'].pk}/bids/").content.decode()
    assert (PROPOSALS["b"] in text) is sees_proposal
    assert market["bids"]["b"].salt not in text


def test_withdrawn_bids_are_never_shown_to_others(market, api_client):
    from bidding import services
    from tests.factories.bidding import user_of

    services.bid_withdraw(bid=market["bids"]["a"], by=user_of(market["a"]),
                          now=T0 + dt.timedelta(days=1))
    bid(market["project"], market["c"], "80000.00")
    open_bids(market["project"])
    text = api_client.get(f"/api/v1/projects/{market['project'].pk}/bids/").content.decode()
    assert PRICES["a"] not in text
    refusal = api_client.get(f"/api/v1/bids/{market['bids']['a'].pk}/")
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
