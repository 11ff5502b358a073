"""`random`: the verifiable draw, recomputed here from public API data only, with hashlib —
never with the platform's own draw module."""

import datetime as dt
import hashlib

import pytest
import time_machine

from bidding import methods
from bidding.models import Bid, Project
from tests.bidding.conftest import api_as
from tests.bidding.methods_helpers import crafted, crafted_project
from tests.factories.bidding import agency_offering, bid, open_bids, published_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(api_client):
    project = published_project(selection_method=Project.Method.RANDOM)
    commitment_at_publication = api_client.get(
        f"/api/v1/projects/{project.pk}/").json()["draw_commitment"]
    offers = [bid(project, agency_offering(), p) for p in ["81000", "82000", "83000", "84000"]]
    invalid = offers[3]
    invalid.agency.status = "suspended"
    invalid.agency.save()
    project = open_bids(project)
    with time_machine.travel(project.bid_deadline + dt.timedelta(hours=1), tick=False):
        response = api_as(project.owner).post(f"/api/v1/projects/{project.pk}/award/", {},
                                              format="json")
    assert response.status_code == 200, response.json()
    return {"project": project, "award_response": response.json(), "offers": offers,
            "commitment_at_publication": commitment_at_publication}


def test_anyone_can_recompute_the_draw_from_public_data(drawn, api_client):
    project = drawn["project"]
    public = api_client.get(f"/api/v1/projects/{project.pk}/").json()
    bids = api_client.get(f"/api/v1/projects/{project.pk}/bids/").json()["results"]
    draw = public["draw"]
    assert draw == drawn["award_response"]["draw"]
    # 1. The secret revealed is the one committed to before any bid existed.
    assert len(draw["secret"]) == 64
    assert hashlib.sha256(draw["secret"].encode("ascii")).hexdigest() \
        == drawn["commitment_at_publication"] == draw["commitment"]
    # 2. The candidates are the valid bids' receipts, lowercase, sorted ascending.
    valid_receipts = sorted(b["receipt"].lower() for b in bids if b["valid"])
    assert draw["candidates"] == valid_receipts and len(valid_receipts) == 3
    # 3. seed = sha256(secret + concatenated candidates); index = seed mod n.
    seed = hashlib.sha256((draw["secret"] + "".join(valid_receipts)).encode("ascii")).hexdigest()
    assert draw["seed"] == seed
    index = int(seed, 16) % len(valid_receipts)
    assert draw["index"] == index
    # 4. The award went to the bid holding the drawn receipt.
    winner = next(b for b in bids if b["receipt"] == valid_receipts[index])
    assert public["award"]["bid"] == winner["id"]
    assert public["status"] == "publicity"


def test_the_invalid_bid_is_not_a_candidate(drawn):
    invalid = Bid.objects.get(pk=drawn["offers"][3].pk)
    assert invalid.receipt not in drawn["award_response"]["draw"]["candidates"]


def test_the_secret_is_not_shown_before_the_draw(api_client):
    project = published_project(selection_method=Project.Method.RANDOM)
    for _ in range(3):
        bid(project, agency_offering())
    open_bids(project)
    project.refresh_from_db()
    for url in (f"/api/v1/projects/{project.pk}/", "/api/v1/projects/",
                f"/api/v1/projects/{project.pk}/bids/"):
        text = api_client.get(url).content.decode()
        assert project.draw_secret not in text
    assert api_client.get(f"/api/v1/projects/{project.pk}/").json()["draw"] is None


def test_random_ranks_nothing_and_the_pick_is_the_drawn_receipt():
    project = crafted_project("random", draw_secret="ab" * 32)
    bids = [crafted(n, "80000", receipt=hashlib.sha256(bytes([n])).hexdigest())
            for n in range(1, 6)]
    methods.rank(project, bids)
    assert all(b.rank is None for b in bids)
    pick = methods.pick(project, bids)
    ordered = sorted(b.receipt for b in bids)
    seed = hashlib.sha256(("ab" * 32 + "".join(ordered)).encode("ascii")).hexdigest()
    assert pick.bid.receipt == ordered[int(seed, 16) % 5]
