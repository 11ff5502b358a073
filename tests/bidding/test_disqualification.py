"""`bids_invalidate_for`: what ratings calls when it blacklists an agency or expels it."""

import datetime as dt

import pytest

from bidding import services
from bidding.models import Bid, Project
from marketplace.notifications.models import Notification
from tests.factories.bidding import bid, open_bids, published_project, user_of

pytestmark = pytest.mark.django_db


def test_open_bids_are_disqualified_at_once_and_the_agency_told(
        project, agencies, django_capture_on_commit_callbacks):
    offer = bid(project, agencies[0])
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.bids_invalidate_for(agency=agencies[0], reason="列入黑名单")
    assert changed == 1
    offer.refresh_from_db()
    assert offer.status == Bid.Status.DISQUALIFIED and offer.valid is False
    assert Notification.objects.filter(user=user_of(agencies[0]),
                                       kind="bidding.bid_disqualified").exists()
    assert project.bids.filter(status__in=Bid.LIVE_STATUSES).count() == 0


def test_bids_under_evaluation_become_invalid_and_the_rest_are_ranked_again(agencies):
    project = published_project(min_bidders=2)
    offers = [bid(project, a, p) for a, p in zip(agencies[:3], ["70000", "80000", "90000"],
                                                 strict=True)]
    open_bids(project)
    services.bids_invalidate_for(agency=agencies[0], reason="列入黑名单",
                                 now=project.bid_deadline + dt.timedelta(hours=1))
    ranks = {o.pk: Bid.objects.get(pk=o.pk).rank for o in offers}
    assert ranks == {offers[0].pk: None, offers[1].pk: 1, offers[2].pk: 2}
    project.refresh_from_db()
    assert project.status == Project.Status.EVALUATING


def test_invalidation_below_the_minimum_fails_the_project(project, agencies):
    for agency in agencies[:3]:
        bid(project, agency)
    open_bids(project)
    services.bids_invalidate_for(agency=agencies[0], reason="清退",
                                 now=project.bid_deadline + dt.timedelta(hours=1))
    project.refresh_from_db()
    assert project.status == Project.Status.FAILED


def test_a_disqualified_bid_shows_as_invalid_after_opening(project, agencies, api_client):
    offer = bid(project, agencies[0])
    for agency in agencies[1:]:
        bid(project, agency)
    services.bids_invalidate_for(agency=agencies[0], reason="列入黑名单")
    open_bids(project)
    shown = {b["id"]: b for b in
             api_client.get(f"/api/v1/projects/{project.pk}/bids/").json()["results"]}
    assert shown[offer.pk]["valid"] is False
