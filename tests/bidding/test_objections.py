"""Objections (质疑) during publicity: filed by bidders, decided by the owner or a regulator."""

import datetime as dt

import pytest
import time_machine

from bidding import services
from bidding.models import Bid, Objection, Project
from tests.bidding.conftest import api_as
from tests.conftest import client_for
from tests.factories.accounts import RegulatorFactory, member_of
from tests.factories.bidding import agency_offering, bid, open_bids, user_of

pytestmark = pytest.mark.django_db
S = Project.Status


@pytest.fixture
def publicity(project, agencies):
    offers = [bid(project, a, p) for a, p in zip(
        agencies, ["90000", "80000", "85000", "88000"], strict=True)]
    project = open_bids(project)
    now = project.bid_deadline + dt.timedelta(hours=1)
    project = services.project_award(project=project, by=user_of(project.owner), now=now)
    with time_machine.travel(now + dt.timedelta(hours=1), tick=False):
        yield {"project": project, "offers": offers, "agencies": agencies,
               "winner": offers[1]}


def file(publicity, agency, reason="中选单位资质造假"):
    return api_as(agency).post(f"/api/v1/projects/{publicity['project'].pk}/objections/",
                               {"reason": reason}, format="json")


def decide(client, objection_id, **body):
    return client.post(f"/api/v1/objections/{objection_id}/decide/", body, format="json")


def test_a_bidder_objects_and_the_owner_bidders_and_regulators_see_it(publicity, api_client):
    response = file(publicity, publicity["agencies"][0])
    assert response.status_code == 201 and response.json()["status"] == "pending"
    url = f"/api/v1/projects/{publicity['project'].pk}/objections/"
    for client in (api_as(publicity["project"].owner), api_as(publicity["agencies"][2]),
                   client_for(member_of(RegulatorFactory()))):
        assert client.get(url).json()["count"] == 1
    refusal = api_client.get(url)
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")
    refusal = api_as(agency_offering()).get(url)
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")


def test_only_bidders_object(publicity):
    refusal = file(publicity, agency_offering())
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")
    refusal = file(publicity, publicity["project"].owner)
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")


def test_no_objection_after_the_publicity_period(publicity):
    end = publicity["project"].awards.get().publicity_ends_at
    with time_machine.travel(end, tick=False):
        refusal = file(publicity, publicity["agencies"][0])
        assert (refusal.status_code, refusal.json()["code"]) == (409, "state.conflict")


def test_a_rejected_objection_leaves_the_award_to_become_final(publicity):
    objection = file(publicity, publicity["agencies"][0]).json()
    response = decide(api_as(publicity["project"].owner), objection["id"], upheld=False,
                      reply="经核查资质真实有效")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    project = publicity["project"]
    end = project.awards.get().publicity_ends_at
    assert services.project_finalize(project=project, now=end).status == S.AWARDED


def test_an_upheld_objection_cancels_the_award_and_excludes_the_awarded_bid(publicity):
    project, winner = publicity["project"], publicity["winner"]
    first = file(publicity, publicity["agencies"][0]).json()
    second = file(publicity, publicity["agencies"][2], "价格异常").json()
    regulator = client_for(member_of(RegulatorFactory()))
    response = decide(regulator, first["id"], upheld=True, reply="资质证书已过期")
    assert response.status_code == 200 and response.json()["status"] == "upheld"
    project.refresh_from_db()
    winner.refresh_from_db()
    assert project.status == S.EVALUATING
    assert winner.valid is False and "资质证书已过期" in winner.invalid_reason
    assert project.awards.get().cancelled_at is not None
    assert Objection.objects.get(pk=second["id"]).status == Objection.Status.MOOT
    # The next in rank is now first, and the owner awards again.
    assert Bid.objects.get(rank=1, project=project).price == 85000
    body = api_as(project.owner).post(f"/api/v1/projects/{project.pk}/award/", {},
                                      format="json").json()
    assert body["status"] == "publicity" and body["award"]["price"] == "85000.00"


def test_an_upheld_objection_not_against_the_bid_keeps_it_valid(publicity):
    objection = file(publicity, publicity["agencies"][0], "公示程序有误").json()
    decide(api_as(publicity["project"].owner), objection["id"], upheld=True,
           reply="重新公示", exclude_bid=False)
    publicity["winner"].refresh_from_db()
    assert publicity["winner"].valid is True


def test_upheld_with_too_few_valid_bids_left_fails_the_project(project, agencies):
    offers = [bid(project, a, p) for a, p in zip(agencies[:3], ["90000", "80000", "85000"],
                                                 strict=True)]
    project = open_bids(project)
    now = project.bid_deadline + dt.timedelta(hours=1)
    project = services.project_award(project=project, by=user_of(project.owner), now=now)
    objection = services.objection_file(project=project, by=user_of(agencies[0]), reason="x",
                                        now=now)
    services.objection_decide(objection=objection, by=user_of(project.owner), upheld=True,
                              reply="成立", now=now)
    project.refresh_from_db()
    assert project.status == S.FAILED and offers


def test_decisions_are_final_and_reserved_to_the_owner_and_regulators(publicity):
    objection = file(publicity, publicity["agencies"][0]).json()
    response = decide(api_as(publicity["agencies"][2]), objection["id"], upheld=True,
                      reply="x")
    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")
    owner = api_as(publicity["project"].owner)
    assert decide(owner, objection["id"], upheld=False, reply="不成立").status_code == 200
    refusal = decide(owner, objection["id"], upheld=True, reply="改判")
    assert (refusal.status_code, refusal.json()["code"]) == (409, "state.conflict")
