"""Posting, editing and publishing a project (owners only; drafts private; fair terms)."""

import datetime as dt
import hashlib
import json

import pytest
import time_machine
from django.utils import timezone

from bidding.models import Project
from tests.bidding.conftest import api_as
from tests.factories.accounts import AgencyFactory, GovernmentOwnerFactory, OwnerFactory
from tests.factories.bidding import T0, ProjectFactory

pytestmark = pytest.mark.django_db


def payload(**overrides):
    data = {
        "title": "某污水处理厂环评", "service_item": "EIA-R", "description": "编制环评报告书",
        "region": "500103", "budget_cap": "120000.00", "selection_method": "lowest_price",
        "bid_deadline": (T0 + dt.timedelta(days=5)).isoformat(),
    }
    data.update(overrides)
    return data


def test_owner_posts_a_draft_with_the_complaint_contact_defaulting_to_its_phone():
    owner = OwnerFactory(phone="023-66668888")
    response = api_as(owner).post("/api/v1/projects/", payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["complaint_contact"] == "023-66668888"
    assert body["min_bidders"] == 3
    assert body["budget_cap"] == "120000.00"
    assert body["draw_commitment"] is None and body["draw"] is None and body["award"] is None
    assert body["contract"] is None and body["bid_count"] == 0


def test_requirements_weights_and_exclusions_are_stored():
    owner = OwnerFactory()
    excluded = AgencyFactory()
    response = api_as(owner).post("/api/v1/projects/", payload(
        selection_method="comprehensive", weights={"price": 50, "credit": 30, "commitment": 20},
        requirements={"qualifications": ["EIA"], "min_grade": "B"},
        exclusions=[{"agency": excluded.pk, "reason": "与业主存在关联关系"}]), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["requirements"] == {"qualifications": ["EIA"], "min_grade": "B"}
    assert body["weights"] == {"price": 50, "credit": 30, "commitment": 20}
    assert body["exclusions"] == [{"agency": excluded.pk, "agency_name": excluded.name,
                                   "reason": "与业主存在关联关系"}]


def test_agencies_cannot_post_projects():
    response = api_as(AgencyFactory()).post("/api/v1/projects/", payload(), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"


def test_anonymous_cannot_post_projects(api_client):
    response = api_client.post("/api/v1/projects/", payload(), format="json")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_government_owner_cannot_choose_direct_selection_for_an_ordinary_item():
    response = api_as(GovernmentOwnerFactory()).post(
        "/api/v1/projects/", payload(selection_method="direct"), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "project.direct_selection_not_allowed"
    assert "selection_method" in response.json()


def test_enterprise_owner_may_choose_direct_selection():
    response = api_as(OwnerFactory()).post(
        "/api/v1/projects/", payload(selection_method="direct"), format="json")
    assert response.status_code == 201


def test_weights_must_add_up_to_100():
    response = api_as(OwnerFactory()).post("/api/v1/projects/", payload(
        selection_method="comprehensive", weights={"price": 50, "credit": 30,
                                                   "commitment": 30}), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "weights" in response.json()


def test_discount_rate_format_needs_its_bounds():
    owner = OwnerFactory()
    missing = api_as(owner).post("/api/v1/projects/", payload(quote_format="discount_rate"),
                                 format="json")
    assert missing.status_code == 400
    assert missing.json()["code"] == "invalid"
    reversed_bounds = api_as(owner).post("/api/v1/projects/", payload(
        quote_format="discount_rate", discount_rate_min="20", discount_rate_max="10"),
        format="json")
    assert reversed_bounds.status_code == 400
    assert reversed_bounds.json()["code"] == "invalid"
    ok = api_as(owner).post("/api/v1/projects/", payload(
        quote_format="discount_rate", discount_rate_min="5", discount_rate_max="20"),
        format="json")
    assert ok.status_code == 201
    assert ok.json()["discount_rate_min"] == "5.00"


def test_owner_edits_its_draft_but_nobody_else_sees_it():
    draft = ProjectFactory()
    response = api_as(draft.owner).patch(f"/api/v1/projects/{draft.pk}/",
                                         {"title": "新标题"}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "新标题"
    other_owner = api_as(OwnerFactory())
    refusal = other_owner.get(f"/api/v1/projects/{draft.pk}/")
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
    answer = other_owner.patch(f"/api/v1/projects/{draft.pk}/", {"title": "x"},
                               format="json")
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")


def test_a_published_project_cannot_be_edited_only_amended(project):
    response = api_as(project.owner).patch(f"/api/v1/projects/{project.pk}/", {"title": "x"},
                                           format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "project.not_a_draft"


def test_another_owner_cannot_publish_or_cancel(project):
    other = api_as(OwnerFactory())
    response = other.post(f"/api/v1/projects/{project.pk}/cancel/", {"reason": "x"},
                          format="json")
    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")


def test_publish_needs_the_minimum_bidding_period(settings):
    settings.MARKETPLACE_MIN_BIDDING_PERIOD = "72h"
    with time_machine.travel(T0, tick=False):
        too_soon = ProjectFactory(bid_deadline=T0 + dt.timedelta(hours=72) - dt.timedelta(
            seconds=1))
        response = api_as(too_soon.owner).post(f"/api/v1/projects/{too_soon.pk}/publish/")
        assert response.status_code == 400
        assert response.json()["code"] == "project.deadline_too_close"
        assert "bid_deadline" in response.json()
        just_enough = ProjectFactory(bid_deadline=T0 + dt.timedelta(hours=72))
        response = api_as(just_enough.owner).post(f"/api/v1/projects/{just_enough.pk}/publish/")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "bidding"
        assert body["published_at"] == timezone.localtime(T0).isoformat()


def test_a_shortened_period_setting_lets_demos_publish_at_once(settings):
    settings.MARKETPLACE_MIN_BIDDING_PERIOD = "0s"
    with time_machine.travel(T0, tick=False):
        draft = ProjectFactory(bid_deadline=T0 + dt.timedelta(minutes=5))
        assert api_as(draft.owner).post(
            f"/api/v1/projects/{draft.pk}/publish/").status_code == 200


def test_publishing_a_random_project_commits_to_a_secret_it_does_not_reveal():
    with time_machine.travel(T0, tick=False):
        draft = ProjectFactory(selection_method=Project.Method.RANDOM)
        response = api_as(draft.owner).post(f"/api/v1/projects/{draft.pk}/publish/")
    assert response.status_code == 200
    draft.refresh_from_db()
    body = response.json()
    assert len(body["draw_commitment"]) == 64
    assert body["draw_commitment"] == hashlib.sha256(
        draft.draw_secret.encode("ascii")).hexdigest()
    assert body["draw"] is None
    assert draft.draw_secret not in json.dumps(body)
    listing = api_as(draft.owner).get("/api/v1/projects/").content.decode()
    assert draft.draw_secret not in listing


def test_non_random_projects_have_no_draw_commitment(project):
    assert project.draw_commitment == "" and project.draw_secret == ""
