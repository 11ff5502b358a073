"""Abnormally low prices (异常低价): the agency justifies in writing; the owner decides."""

import datetime as dt

import pytest
import time_machine
from django.db.models import F

from bidding.models import Bid, Project
from tests.bidding.conftest import api_as
from tests.factories.bidding import bid, open_bids

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(project, agencies):
    low = bid(project, agencies[0], "20000")
    for agency, price in zip(agencies[1:], ["90000", "95000", "92000"], strict=True):
        bid(project, agency, price)
    project = open_bids(project)
    with time_machine.travel(project.bid_deadline + dt.timedelta(hours=1), tick=False):
        yield {"project": project, "low": Bid.objects.get(pk=low.pk), "agencies": agencies}


def test_the_flag_is_public_after_opening(flagged, api_client):
    body = api_client.get(f"/api/v1/projects/{flagged['project'].pk}/bids/").json()
    flags = {b["id"]: b["abnormally_low"] for b in body["results"]}
    assert flags[flagged["low"].pk] is True and sum(flags.values()) == 1


def test_award_waits_for_the_owners_decision(flagged):
    project = flagged["project"]
    response = api_as(project.owner).post(f"/api/v1/projects/{project.pk}/award/", {},
                                          format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "project.prices_undecided"


def test_justify_then_accept_then_award(flagged):
    project, low = flagged["project"], flagged["low"]
    agency = api_as(flagged["agencies"][0])
    response = agency.post(f"/api/v1/bids/{low.pk}/justification/", {"text": "利用既有监测数据"},
                           format="json")
    assert response.status_code == 200 and response.json()["justification"]
    owner = api_as(project.owner)
    response = owner.post(f"/api/v1/bids/{low.pk}/justification/decide/",
                          {"accepted": True, "reply": "理由充分"}, format="json")
    assert response.status_code == 200
    assert response.json()["justification_decision"] == "accepted"
    award = owner.post(f"/api/v1/projects/{project.pk}/award/", {}, format="json").json()
    assert award["award"]["bid"] == low.pk


def test_rejection_invalidates_and_reranks(flagged):
    project, low = flagged["project"], flagged["low"]
    response = api_as(project.owner).post(f"/api/v1/bids/{low.pk}/justification/decide/",
                                          {"accepted": False, "reply": "低于成本"},
                                          format="json")
    assert response.status_code == 200
    low.refresh_from_db()
    assert low.valid is False and low.rank is None and "低于成本" in low.invalid_reason
    ranks = list(Bid.objects.filter(valid=True).order_by("rank").values_list("price", "rank"))
    assert [r for _, r in ranks] == [1, 2, 3] and ranks[0][0] == 90000


def test_rejection_below_the_minimum_fails_the_project(project, agencies):
    low = bid(project, agencies[0], "20000")
    bid(project, agencies[1], "90000"), bid(project, agencies[2], "95000")
    project = open_bids(project)
    with time_machine.travel(project.bid_deadline + dt.timedelta(hours=1), tick=False):
        api_as(project.owner).post(f"/api/v1/bids/{low.pk}/justification/decide/",
                                   {"accepted": False}, format="json")
    project.refresh_from_db()
    assert project.status == Project.Status.FAILED


def test_acceptance_needs_a_justification_and_only_the_owner_decides(flagged):
    project, low = flagged["project"], flagged["low"]
    url = f"/api/v1/bids/{low.pk}/justification/decide/"
    refusal = api_as(project.owner).post(url, {"accepted": True}, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (409, "state.conflict")
    response = api_as(flagged["agencies"][1]).post(url, {"accepted": False},
                                                   format="json")
    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")


def test_only_the_flagged_bids_agency_justifies(flagged):
    other = Bid.objects.filter(project=flagged["project"]).exclude(pk=flagged["low"].pk).first()
    response = api_as(other.agency).post(f"/api/v1/bids/{other.pk}/justification/",
                                         {"text": "x"}, format="json")
    assert response.status_code == 409  # not flagged
    assert response.json()["code"] == "bid.price_not_pending"
    response = api_as(flagged["agencies"][1]).post(
        f"/api/v1/bids/{flagged['low'].pk}/justification/", {"text": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"
    assert Bid.objects.filter(abnormally_low=True, price__lt=F("project__budget_cap")).count() == 1
