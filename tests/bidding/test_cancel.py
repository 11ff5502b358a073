"""Cancelling a draft or a project open for bids, with a public reason."""

import pytest
import time_machine

from marketplace.notifications.models import Notification
from tests.bidding.conftest import api_as
from tests.factories.bidding import T0, ProjectFactory, bid, user_of

pytestmark = pytest.mark.django_db


def test_owner_cancels_a_draft_with_a_reason():
    draft = ProjectFactory()
    response = api_as(draft.owner).post(f"/api/v1/projects/{draft.pk}/cancel/",
                                        {"reason": "项目取消立项"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "项目取消立项"


def test_cancelling_while_bidding_tells_the_bidders_and_shows_the_reason_publicly(
        project, agencies, api_client, django_capture_on_commit_callbacks):
    bid(project, agencies[0])
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = api_as(project.owner).post(f"/api/v1/projects/{project.pk}/cancel/",
                                              {"reason": "规划调整"}, format="json")
    assert response.status_code == 200
    public = api_client.get(f"/api/v1/projects/{project.pk}/").json()
    assert public["status"] == "cancelled" and public["cancel_reason"] == "规划调整"
    assert Notification.objects.filter(user=user_of(agencies[0]),
                                       kind="bidding.cancelled").exists()


def test_a_reason_is_required(project):
    response = api_as(project.owner).post(f"/api/v1/projects/{project.pk}/cancel/",
                                          {"reason": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_bids_of_a_cancelled_project_stay_sealed(project, agencies, api_client):
    bid(project, agencies[0], "87654.32")
    api_as(project.owner).post(f"/api/v1/projects/{project.pk}/cancel/", {"reason": "取消"},
                               format="json")
    response = api_client.get(f"/api/v1/projects/{project.pk}/bids/")
    assert response.json()["sealed"] is True and response.json()["results"] == []
    assert "87654" not in response.content.decode()
