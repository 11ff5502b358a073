"""`direct`: the owner picks any valid bid after opening; government owners only for a monopoly
item (the rule itself: test_direct_selection_rule.py)."""

import datetime as dt

import pytest

from bidding import methods, services
from bidding.models import Bid, Project
from marketplace.errors import DomainError
from tests.bidding.methods_helpers import crafted, crafted_project
from tests.factories.accounts import GovernmentOwnerFactory
from tests.factories.bidding import ProjectFactory, bid, open_bids, published_project, user_of

PROJECT = crafted_project("direct")


def test_direct_ranks_nothing_and_picks_the_chosen_bid():
    bids = [crafted(1, "90000"), crafted(2, "70000")]
    methods.rank(PROJECT, bids)
    assert all(b.rank is None for b in bids)
    assert methods.pick(PROJECT, bids, 1).bid is bids[0]


def test_direct_refuses_a_missing_or_foreign_choice():
    bids = [crafted(1, "90000")]
    with pytest.raises(DomainError) as missing:
        methods.pick(PROJECT, bids, None)
    assert missing.value.field == "bid"
    with pytest.raises(DomainError) as refused:
        methods.pick(PROJECT, bids, 99)
    assert refused.value.code == "invalid"


@pytest.mark.django_db
def test_the_owner_may_award_a_bid_that_is_not_the_cheapest(agencies):
    project = published_project(selection_method=Project.Method.DIRECT)
    cheap, dear = bid(project, agencies[0], "60000"), bid(project, agencies[1], "90000")
    project = open_bids(project)
    project = services.project_award(project=project, by=user_of(project.owner), bid=dear.pk,
                                     now=project.bid_deadline + dt.timedelta(hours=1))
    assert project.awards.get().bid == dear and cheap.pk != dear.pk


@pytest.mark.django_db
def test_an_invalid_bid_cannot_be_chosen(agencies):
    project = published_project(selection_method=Project.Method.DIRECT)
    good, bad = bid(project, agencies[0]), bid(project, agencies[1])
    agencies[1].status = "suspended"
    agencies[1].save()
    project = open_bids(project)
    assert Bid.objects.get(pk=bad.pk).valid is False
    with pytest.raises(DomainError) as refused:
        services.project_award(project=project, by=user_of(project.owner), bid=bad.pk,
                               now=project.bid_deadline + dt.timedelta(hours=1))
    assert refused.value.code == "invalid"
    assert good.pk


@pytest.mark.django_db
def test_government_owners_cannot_use_direct_selection_for_an_ordinary_item():
    draft = ProjectFactory(owner=GovernmentOwnerFactory(), selection_method="lowest_price")
    assert not draft.service_item.is_monopoly
    with pytest.raises(DomainError) as refused:
        services.project_update(project=draft, by=user_of(draft.owner),
                                selection_method="direct")
    assert refused.value.field == "selection_method"
    assert refused.value.code == "project.direct_selection_not_allowed"
