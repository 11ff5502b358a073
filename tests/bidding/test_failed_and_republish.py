"""A failed project (流标) is posted again as a new round."""

import datetime as dt

import pytest
import time_machine

from bidding import services
from bidding.models import Project
from marketplace.errors import StateConflict
from tests.bidding.conftest import api_as
from tests.factories.accounts import AgencyFactory
from tests.factories.bidding import T0, ProjectFactory, bid, open_bids, publish, qualify, user_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(agencies):
    project = ProjectFactory(min_bidders=3, min_grade="C")
    project.required_qualifications.set([qualify(agencies[0], "EIA").qualification_type])
    project.exclusions.create(agency=AgencyFactory(), reason="关联企业")
    project = publish(project, now=T0)
    bid(project, agencies[0])
    return open_bids(project)


def test_too_few_bids_fail_the_project_publicly(failed, api_client):
    body = api_client.get(f"/api/v1/projects/{failed.pk}/").json()
    assert body["status"] == "failed" and body["failed_reason"]


def test_the_owner_posts_a_new_round_copying_the_terms(failed, api_client):
    with time_machine.travel(failed.bid_deadline + dt.timedelta(days=1), tick=False):
        response = api_as(failed.owner).post(f"/api/v1/projects/{failed.pk}/republish/", {},
                                             format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    new = Project.objects.get(pk=body["id"])
    assert new.status == Project.Status.DRAFT and new.previous_round == failed
    for field in ("title", "service_item", "description", "region", "budget_cap",
                  "selection_method", "min_bidders", "min_grade", "complaint_contact"):
        assert getattr(new, field) == getattr(failed, field)
    assert list(new.required_qualifications.all()) == list(failed.required_qualifications.all())
    assert [(e.agency_id, e.reason) for e in new.exclusions.all()] == [
        (e.agency_id, e.reason) for e in failed.exclusions.all()]
    assert body["previous_round"] == failed.pk
    assert api_as(failed.owner).get(f"/api/v1/projects/{failed.pk}/").json()[
        "next_round"] == new.pk


def test_one_next_round_per_failed_project(failed):
    owner = user_of(failed.owner)
    services.project_republish(project=failed, by=owner, now=failed.bid_deadline)
    with pytest.raises(StateConflict) as refused:
        services.project_republish(project=failed, by=owner, now=failed.bid_deadline)
    assert refused.value.code == "project.next_round_exists"


def test_only_failed_projects_are_posted_again(project):
    response = api_as(project.owner).post(f"/api/v1/projects/{project.pk}/republish/", {},
                                          format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "state.invalid_transition"


def test_the_new_round_is_published_like_any_draft(failed):
    owner = user_of(failed.owner)
    later = failed.bid_deadline + dt.timedelta(days=1)
    new = services.project_republish(project=failed, by=owner,
                                     bid_deadline=later + dt.timedelta(days=5), now=later)
    new = services.project_publish(project=new, by=owner, now=later)
    assert new.status == Project.Status.BIDDING
