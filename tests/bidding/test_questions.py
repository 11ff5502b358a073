"""Questions and answers: public answers, hidden askers."""

import datetime as dt

import pytest
import time_machine

from marketplace.notifications.models import Notification
from tests.bidding.conftest import api_as
from tests.conftest import client_for
from tests.factories.accounts import member_of
from tests.factories.bidding import T0, bid, user_of

pytestmark = pytest.mark.django_db
DURING = T0 + dt.timedelta(days=1)


@pytest.fixture
def asked(project, agencies):
    with time_machine.travel(DURING, tick=False):
        response = api_as(agencies[0]).post(f"/api/v1/projects/{project.pk}/questions/",
                                            {"text": "是否需要公众参与？"}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def questions(client, project):
    return client.get(f"/api/v1/projects/{project.pk}/questions/").json()["results"]


def test_the_asker_sees_its_question_as_its_own(project, agencies, asked):
    [question] = questions(api_as(agencies[0]), project)
    assert question["mine"] is True and question["asked_by"] == agencies[0].pk


@pytest.mark.parametrize("viewer", ["owner", "other_agency", "anonymous"])
def test_nobody_else_learns_who_asked(project, agencies, asked, api_client, viewer):
    client = {"owner": api_as(project.owner), "other_agency": api_as(agencies[1]),
              "anonymous": api_client}[viewer]
    response = client.get(f"/api/v1/projects/{project.pk}/questions/")
    [question] = response.json()["results"]
    assert question["asked_by"] is None and question["mine"] is False
    text = response.content.decode()
    assert agencies[0].name not in text and agencies[0].uscc not in text


def test_regulators_see_who_asked(project, agencies, asked, regulator):
    [question] = questions(client_for(member_of(regulator)), project)
    assert question["asked_by"] == agencies[0].pk


def test_the_owner_is_told_of_a_question_without_the_asker(project, agencies,
                                                          django_capture_on_commit_callbacks):
    with time_machine.travel(DURING, tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        api_as(agencies[0]).post(f"/api/v1/projects/{project.pk}/questions/",
                                 {"text": "工期可否调整？"}, format="json")
    notice = Notification.objects.get(user=user_of(project.owner), kind="bidding.question")
    assert agencies[0].name not in notice.title + notice.body


def test_the_answer_is_public_and_sent_to_every_bidder_and_the_asker(
        project, agencies, asked, api_client, django_capture_on_commit_callbacks):
    bid(project, agencies[2])
    with time_machine.travel(DURING, tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        response = api_as(project.owner).post(f"/api/v1/questions/{asked['id']}/answer/",
                                              {"text": "需要。"}, format="json")
    assert response.status_code == 200
    [question] = questions(api_client, project)
    assert question["answer"] == "需要。" and question["answered_at"]
    for agency in (agencies[0], agencies[2]):
        assert Notification.objects.filter(user=user_of(agency), kind="bidding.answer").exists()
    assert not Notification.objects.filter(user=user_of(agencies[1]),
                                           kind="bidding.answer").exists()


def test_only_the_owner_answers_and_only_once(project, agencies, asked):
    url = f"/api/v1/questions/{asked['id']}/answer/"
    refusal = api_as(agencies[1]).post(url, {"text": "x"}, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")
    assert api_as(project.owner).post(url, {"text": "答复"}, format="json").status_code == 200
    refusal = api_as(project.owner).post(url, {"text": "再答"}, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (409, "state.conflict")


def test_owners_do_not_ask_and_nobody_asks_after_the_deadline(project, agencies):
    url = f"/api/v1/projects/{project.pk}/questions/"
    with time_machine.travel(DURING, tick=False):
        refusal = api_as(project.owner).post(url, {"text": "x"}, format="json")
        assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")
    with time_machine.travel(project.bid_deadline, tick=False):
        refusal = api_as(agencies[0]).post(url, {"text": "x"}, format="json")
        assert (refusal.status_code, refusal.json()["code"]) == (409, "state.conflict")
