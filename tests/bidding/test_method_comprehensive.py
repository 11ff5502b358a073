"""`comprehensive`: price score + credit share + commitment score, weights summing to 100."""

import datetime as dt
from decimal import Decimal

import pytest

from bidding import methods, services
from bidding.models import Bid, Project
from tests.bidding.methods_helpers import crafted, crafted_project, winner
from tests.factories.bidding import bid, open_bids, published_project, user_of

PROJECT = crafted_project("comprehensive", weight_price=60, weight_credit=20,
                          weight_commitment=20)


def test_scores_follow_the_formula():
    cheap_slow = crafted(1, "80000", credit="80", days=40)
    dear_fast = crafted(2, "100000", credit="90", days=20)
    methods.rank(PROJECT, [cheap_slow, dear_fast])
    # cheap_slow: 80000/80000×60 = 60; 80/100×20 = 16; 20/40×20 = 10 → 86
    assert cheap_slow.score == {"price": "60.0000", "credit": "16.0000",
                                "commitment": "10.0000", "total": "86.0000",
                                "credit_score": "80"}
    # dear_fast: 80000/100000×60 = 48; 90/100×20 = 18; 20/20×20 = 20 → 86
    assert dear_fast.score["total"] == "86.0000"
    # A tie on the total goes to the lower price.
    assert winner([cheap_slow, dear_fast]) is cheap_slow


def test_weights_change_the_winner():
    speed_first = crafted_project("comprehensive", weight_price=20, weight_credit=10,
                                  weight_commitment=70)
    cheap_slow = crafted(1, "80000", days=40)
    dear_fast = crafted(2, "100000", days=20)
    methods.rank(speed_first, [cheap_slow, dear_fast])
    assert winner([cheap_slow, dear_fast]) is dear_fast


def test_a_total_and_price_tie_goes_to_credit_then_time():
    a = crafted(1, "80000", credit="80", days=30, minutes=5)
    b = crafted(2, "80000", credit="80", days=30, minutes=1)
    methods.rank(PROJECT, [a, b])
    assert winner([a, b]) is b


def test_scores_are_rounded_to_four_places():
    odd = crafted(1, "90000", days=30)
    base = crafted(2, "70000", days=21)
    methods.rank(PROJECT, [odd, base])
    assert odd.score["price"] == "46.6667"  # 70000/90000 × 60
    assert Decimal(odd.score["commitment"]) == Decimal("14.0000")


@pytest.mark.django_db
def test_the_breakdown_is_stored_per_bid_and_rank_one_is_awarded(agencies):
    project = published_project(selection_method=Project.Method.COMPREHENSIVE)
    offers = [bid(project, agencies[0], "80000", promised_days=30),
              bid(project, agencies[1], "70000", promised_days=25),
              bid(project, agencies[2], "90000", promised_days=15)]
    project = open_bids(project)
    stored = {b.pk: b for b in Bid.objects.filter(project=project)}
    assert all(set(b.score) >= {"price", "credit", "commitment", "total"}
               for b in stored.values())
    best = min(stored.values(), key=lambda b: b.rank)
    assert best.rank == 1
    assert best.score["total"] == max(b.score["total"] for b in stored.values())
    project = services.project_award(project=project, by=user_of(project.owner),
                                     now=project.bid_deadline + dt.timedelta(hours=1))
    assert project.awards.get().bid_id == best.pk
    assert best.pk in {o.pk for o in offers}


@pytest.mark.django_db
def test_a_rejected_abnormally_low_bid_changes_everyones_price_score(agencies):
    project = published_project(selection_method=Project.Method.COMPREHENSIVE)
    low, *others = [bid(project, a, p) for a, p in zip(
        agencies, ["20000", "90000", "95000", "92000"], strict=True)]
    project = open_bids(project)
    before = Bid.objects.get(pk=others[0].pk).score["price"]
    services.bid_decide_justification(bid=low, by=user_of(project.owner), accepted=False,
                                      now=project.bid_deadline + dt.timedelta(hours=1))
    after = Bid.objects.get(pk=others[0].pk).score["price"]
    assert Decimal(after) == Decimal("60.0000") > Decimal(before)
    assert Bid.objects.get(pk=low.pk).rank is None
