"""Receipts: sha256 of the canonical serialization plus a salt, recomputed here by hand."""

import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest
import time_machine

from bidding import receipts, services
from tests.bidding.conftest import api_as
from tests.factories.bidding import as_its_agency, bid, open_bids, user_of

pytestmark = pytest.mark.django_db


def expected_receipt(offer) -> str:
    canonical = json.dumps({
        "agency": offer.agency_id, "attachments": [], "discount_rate": None,
        "price": f"{offer.price:.2f}", "project": offer.project_id,
        "promised_days": offer.promised_days, "proposal": offer.proposal,
        "sealed_at": offer.sealed_at.astimezone(dt.UTC).isoformat(),
    }, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((canonical + offer.salt).encode("utf-8")).hexdigest()


def test_the_receipt_is_the_sha256_of_the_canonical_bid_and_salt(project, agencies):
    offer = bid(project, agencies[0], "81234.50", proposal="含现场踏勘")
    as_its_agency(offer)  # the sealed price, as its agency reads it
    assert offer.receipt == expected_receipt(offer)
    assert len(offer.salt) == 64


def test_verify_receipt_accepts_the_content_and_rejects_any_change(project, agencies):
    offer = bid(project, agencies[0], "81234.50")
    content = {"salt": offer.salt, "project_id": project.pk, "agency_id": agencies[0].pk,
               "price": Decimal("81234.50"), "promised_days": 20, "proposal": "技术方案",
               "sealed_at": offer.sealed_at}
    assert receipts.verify_receipt(receipt=offer.receipt, **content)
    assert not receipts.verify_receipt(receipt=offer.receipt,
                                       **{**content, "price": Decimal("81234.51")})
    assert not receipts.verify_receipt(receipt=offer.receipt, **{**content, "salt": "0" * 64})


def test_the_same_bid_twice_gets_different_receipts_thanks_to_the_salt(project, agencies):
    first = bid(project, agencies[0], "80000")
    services.bid_withdraw(bid=first, by=user_of(agencies[0]), now=first.sealed_at)
    second = bid(project, agencies[0], "80000", now=first.sealed_at)
    assert first.receipt != second.receipt


def test_a_revision_gets_a_new_receipt(project, agencies):
    offer = bid(project, agencies[0], "80000")
    old = offer.receipt
    offer = services.bid_revise(bid=offer, by=user_of(agencies[0]), price=Decimal("79000"),
                                now=offer.sealed_at + dt.timedelta(hours=1))
    assert offer.receipt != old and offer.receipt == expected_receipt(offer)


def test_the_agency_can_recompute_its_receipt_from_what_it_is_shown(project, agencies):
    offer = bid(project, agencies[0])
    with time_machine.travel(offer.sealed_at, tick=False):
        shown = api_as(agencies[0]).get(f"/api/v1/bids/{offer.pk}/").json()
    recomputed = hashlib.sha256((shown["canonical"] + shown["salt"]).encode()).hexdigest()
    assert recomputed == shown["receipt"]
    assert json.loads(shown["canonical"])["price"] == shown["price"]


def test_receipts_are_published_at_opening_as_given(project, agencies, api_client):
    given = {bid(project, a).receipt for a in agencies[:3]}
    open_bids(project)
    published = {b["receipt"] for b in
                 api_client.get(f"/api/v1/projects/{project.pk}/bids/").json()["results"]}
    assert published == given
