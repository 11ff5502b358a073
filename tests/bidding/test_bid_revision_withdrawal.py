"""Revising and withdrawing a bid before the deadline; only by its agency."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from bidding import services
from bidding.errors import BidClosed
from bidding.models import Bid
from marketplace.errors import NotAllowed
from tests.bidding.conftest import api_as
from tests.factories.bidding import as_its_agency, bid, user_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(project, agencies):
    return bid(project, agencies[0], "80000")


@pytest.fixture
def during(offer):
    with time_machine.travel(offer.sealed_at + dt.timedelta(hours=1), tick=False):
        yield


def test_the_agency_revises_price_days_and_proposal(offer, agencies, during):
    response = api_as(agencies[0]).patch(f"/api/v1/bids/{offer.pk}/", {
        "price": "76000.00", "promised_days": 18, "proposal": "优化方案"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["price"], body["promised_days"], body["proposal"]) == ("76000.00", 18, "优化方案")
    assert body["receipt"] != offer.receipt and body["revised_at"]


def test_a_partial_revision_keeps_the_rest(offer, agencies, during):
    body = api_as(agencies[0]).patch(f"/api/v1/bids/{offer.pk}/", {"promised_days": 10},
                                     format="json").json()
    assert body["price"] == "80000.00" and body["promised_days"] == 10


def test_a_revision_over_the_cap_is_refused_and_the_bid_unchanged(offer, agencies, during):
    response = api_as(agencies[0]).patch(f"/api/v1/bids/{offer.pk}/", {"price": "200000"},
                                         format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "bid.requirements_unmet"
    as_its_agency(offer)
    assert offer.price == Decimal("80000.00")


def test_withdrawal_frees_the_agency_to_bid_again(project, offer, agencies, during):
    assert api_as(agencies[0]).delete(f"/api/v1/bids/{offer.pk}/").status_code == 204
    offer.refresh_from_db()
    assert offer.status == Bid.Status.WITHDRAWN and offer.withdrawn_at
    response = api_as(agencies[0]).post(f"/api/v1/projects/{project.pk}/bids/", {
        "price": "78000", "promised_days": 20}, format="json")
    assert response.status_code == 201


def test_a_withdrawn_bid_cannot_be_revised_or_withdrawn_again(offer, agencies):
    services.bid_withdraw(bid=offer, by=user_of(agencies[0]), now=offer.sealed_at)
    with pytest.raises(BidClosed) as refused:
        services.bid_revise(bid=offer, by=user_of(agencies[0]), price=Decimal("1"),
                            now=offer.sealed_at)
    assert refused.value.code == "bid.closed"
    with pytest.raises(BidClosed) as refused:
        services.bid_withdraw(bid=offer, by=user_of(agencies[0]), now=offer.sealed_at)
    assert refused.value.code == "bid.closed"


def test_another_agency_cannot_touch_the_bid(offer, agencies, during):
    other = api_as(agencies[1])
    # It cannot even see the bid before opening: 404, not 403, so nothing leaks.
    assert other.patch(f"/api/v1/bids/{offer.pk}/", {"price": "1"},
                       format="json").status_code == 404
    refusal = other.delete(f"/api/v1/bids/{offer.pk}/")
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
    with pytest.raises(NotAllowed) as refused:
        services.bid_withdraw(bid=offer, by=user_of(agencies[1]), now=offer.sealed_at)
    assert refused.value.code == "not_allowed"


def test_the_owner_cannot_withdraw_a_bid(project, offer, during):
    refusal = api_as(project.owner).delete(f"/api/v1/bids/{offer.pk}/")
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
