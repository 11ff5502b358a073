"""Time is law: the server's clock refuses bids, revisions and withdrawals at and after the
deadline (409), whatever the task queue is doing; the project is still `bidding` here."""

import datetime as dt

import pytest
import time_machine

from bidding import services
from bidding.errors import DeadlinePassed
from bidding.models import Project
from tests.bidding.conftest import api_as
from tests.factories.bidding import bid, user_of

pytestmark = pytest.mark.django_db
SECOND = dt.timedelta(seconds=1)
BODY = {"price": "80000.00", "promised_days": 20, "proposal": "方案"}


def at(moment):
    return time_machine.travel(moment, tick=False)


def test_a_bid_one_second_before_the_deadline_is_accepted(project, agencies):
    with at(project.bid_deadline - SECOND):
        response = api_as(agencies[0]).post(f"/api/v1/projects/{project.pk}/bids/", BODY,
                                            format="json")
    assert response.status_code == 201


@pytest.mark.parametrize("offset", [dt.timedelta(0), SECOND])
def test_a_bid_at_or_after_the_deadline_is_refused(project, agencies, offset):
    with at(project.bid_deadline + offset):
        response = api_as(agencies[0]).post(f"/api/v1/projects/{project.pk}/bids/", BODY,
                                            format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "bid.deadline_passed"
    project.refresh_from_db()
    assert project.status == Project.Status.BIDDING  # nobody opened it: the clock alone refuses


def test_revision_one_second_before_the_deadline_is_accepted(project, agencies):
    offer = bid(project, agencies[0])
    with at(project.bid_deadline - SECOND):
        response = api_as(agencies[0]).patch(f"/api/v1/bids/{offer.pk}/",
                                             {"price": "70000.00"}, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize("offset", [dt.timedelta(0), SECOND])
def test_revision_at_or_after_the_deadline_is_refused(project, agencies, offset):
    offer = bid(project, agencies[0])
    with at(project.bid_deadline + offset):
        response = api_as(agencies[0]).patch(f"/api/v1/bids/{offer.pk}/",
                                             {"price": "70000.00"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "bid.deadline_passed"


def test_withdrawal_one_second_before_the_deadline_is_accepted(project, agencies):
    offer = bid(project, agencies[0])
    with at(project.bid_deadline - SECOND):
        assert api_as(agencies[0]).delete(f"/api/v1/bids/{offer.pk}/").status_code == 204


@pytest.mark.parametrize("offset", [dt.timedelta(0), SECOND])
def test_withdrawal_at_or_after_the_deadline_is_refused(project, agencies, offset):
    offer = bid(project, agencies[0])
    with at(project.bid_deadline + offset):
        response = api_as(agencies[0]).delete(f"/api/v1/bids/{offer.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "bid.deadline_passed"


def test_the_service_applies_the_same_rule_to_its_now_parameter(project, agencies):
    bid(project, agencies[0], now=project.bid_deadline - SECOND)
    with pytest.raises(DeadlinePassed) as refused:
        services.bid_submit(project=project, by=user_of(agencies[1]), price=80000,
                            promised_days=20, now=project.bid_deadline)
    assert refused.value.code == "bid.deadline_passed"


def test_opening_on_request_before_the_deadline_is_refused(project):
    with at(project.bid_deadline - SECOND):
        response = api_as(project.owner).post(f"/api/v1/projects/{project.pk}/open/")
    assert response.status_code == 409
    assert response.json()["code"] == "project.deadline_not_reached"
    with at(project.bid_deadline):
        response = api_as(project.owner).post(f"/api/v1/projects/{project.pk}/open/")
    assert response.status_code == 200
