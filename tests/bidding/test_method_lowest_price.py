"""`lowest_price`: lowest valid price; ties → higher credit score → earlier submission."""

import datetime as dt

import pytest

from bidding import methods, services
from bidding.models import Bid
from marketplace.errors import StateConflict
from tests.bidding.methods_helpers import crafted, crafted_project, winner
from tests.factories.bidding import bid, open_bids, user_of

PROJECT = crafted_project("lowest_price")


def test_the_lowest_price_wins_and_everyone_is_ranked():
    bids = [crafted(1, "90000"), crafted(2, "70000"), crafted(3, "80000")]
    methods.rank(PROJECT, bids)
    assert [b.rank for b in bids] == [3, 1, 2]
    assert methods.pick(PROJECT, bids).bid is bids[1]


def test_a_price_tie_goes_to_the_higher_credit_score():
    bids = [crafted(1, "70000", credit="85"), crafted(2, "70000", credit="92.5")]
    methods.rank(PROJECT, bids)
    assert winner(bids).pk == 2


def test_a_price_and_credit_tie_goes_to_the_earlier_submission():
    bids = [crafted(1, "70000", minutes=30), crafted(2, "70000", minutes=10)]
    methods.rank(PROJECT, bids)
    assert winner(bids).pk == 2 and bids[0].rank == 2


def test_a_later_revision_counts_from_its_own_time():
    # Agency 1 sealed first but revised down to the tie after agency 2 had bid.
    early_then_revised = crafted(1, "70000", minutes=50)
    steady = crafted(2, "70000", minutes=20)
    methods.rank(PROJECT, [early_then_revised, steady])
    assert steady.rank == 1


@pytest.mark.django_db
def test_an_abnormally_low_winner_needs_a_decision_before_the_award(project, agencies):
    offers = [bid(project, a, p) for a, p in zip(
        agencies, ["20000", "90000", "95000", "92000"], strict=True)]
    project = open_bids(project)
    low = Bid.objects.get(pk=offers[0].pk)
    assert low.abnormally_low and low.rank == 1
    owner = user_of(project.owner)
    later = project.bid_deadline + dt.timedelta(hours=1)
    with pytest.raises(StateConflict) as refused:
        services.project_award(project=project, by=owner, now=later)
    assert refused.value.code == "project.prices_undecided"
    services.bid_decide_justification(bid=low, by=owner, accepted=False, reply="无法说明",
                                      now=later)
    project = services.project_award(project=project, by=owner, now=later)
    assert project.awards.get().bid_id == offers[1].pk


@pytest.mark.django_db
def test_an_accepted_justification_keeps_the_low_price_winning(project, agencies):
    offers = [bid(project, a, p) for a, p in zip(
        agencies, ["20000", "90000", "95000", "92000"], strict=True)]
    project = open_bids(project)
    later = project.bid_deadline + dt.timedelta(hours=1)
    services.bid_justify(bid=offers[0], by=user_of(agencies[0]), text="自有数据，成本低",
                         now=later)
    services.bid_decide_justification(bid=offers[0], by=user_of(project.owner), accepted=True,
                                      now=later)
    project = services.project_award(project=project, by=user_of(project.owner), now=later)
    assert project.awards.get().bid_id == offers[0].pk
