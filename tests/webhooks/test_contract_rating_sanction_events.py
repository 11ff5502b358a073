"""Contracts, ratings and sanctions emit their events to the organizations concerned: both
parties of a contract, the rated organization at the reveal, the listed organization."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from contracts import services as contracts
from marketplace.webhooks.models import Delivery
from ratings import services as ratings
from tests.factories.bidding import T0, agency_offering, user_of
from tests.factories.contracts import contract_awaiting_signatures, sign
from tests.factories.ratings import closed_contract, regulator_user
from tests.webhooks.conftest import register

pytestmark = pytest.mark.django_db
URL = "http://127.0.0.1:9/hook"
CONTRACT_EVENTS = ["contract.signed", "contract.active", "contract.terminated"]


def _events_of(organization) -> list[tuple[str, dict]]:
    return [(d.event.event, json.loads(d.event.body)["data"]) for d in
            Delivery.objects.filter(endpoint__organization=organization)
            .select_related("event").order_by("id")]


def test_signing_and_terminating_a_contract_reach_both_parties():
    contract = contract_awaiting_signatures()
    for party in (contract.owner, contract.agency):
        register(party, URL, CONTRACT_EVENTS)
    sign(contract, contract.owner)
    contract = sign(contract, contract.agency,
                    now=contract.created_at + dt.timedelta(hours=2))
    contracts.contract_terminate(contract=contract, by=user_of(contract.owner),
                                 reason="乙方无法履约", at_fault="agency")
    for party in (contract.owner, contract.agency):
        events = _events_of(party)
        assert [name for name, _data in events] == [
            "contract.signed", "contract.signed", "contract.active", "contract.terminated"]
        assert [data.get("party") for _name, data in events[:2]] == ["owner", "agency"]
        assert events[2][1]["contract"]["status"] == "active"
        assert events[3][1]["at_fault"] == "agency"
        assert events[3][1]["contract"]["id"] == contract.pk


def test_a_rating_reaches_the_rated_organization_when_revealed_not_before():
    contract = closed_contract()
    for party in (contract.owner, contract.agency):
        register(party, URL, ["rating.received"])
    now = T0 + dt.timedelta(days=31)
    ratings.rating_submit(contract=contract, by=user_of(contract.owner), now=now, scores={
        "quality": 5, "timeliness": 4, "attitude": 5, "fee_compliance": 4, "conduct": 5})
    assert not Delivery.objects.exists()  # sealed until both are in
    ratings.rating_submit(contract=contract, by=user_of(contract.agency), now=now, scores={
        "cooperation": 4, "clarity": 3, "payment": 5})
    [(name, data)] = _events_of(contract.agency)
    assert name == "rating.received"
    assert data["rating"]["rater"]["id"] == contract.owner_id
    assert data["rating"]["value"] == "4.60"
    [(_name, received)] = _events_of(contract.owner)
    assert received["rating"]["rater"]["id"] == contract.agency_id


def test_a_blacklisting_and_its_lifting_reach_the_listed_organization_only():
    listed, other = agency_offering(), agency_offering()
    for agency in (listed, other):
        register(agency, URL, ["sanction.listed", "sanction.lifted"])
    regulator = regulator_user()
    entry = ratings.blacklist_add(organization=listed, reason="提供虚假材料", basis="决定书",
                                  source="regulator", by=regulator,
                                  ends_at=timezone.now() + dt.timedelta(days=365))
    ratings.blacklist_lift(entry=entry, reason="申诉成立", by=regulator)
    events = _events_of(listed)
    assert [name for name, _data in events] == ["sanction.listed", "sanction.lifted"]
    assert events[0][1]["entry"]["reason"] == "提供虚假材料"
    assert events[1][1]["entry"]["status"] == "lifted"
    assert _events_of(other) == []
