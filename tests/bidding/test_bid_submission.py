"""Submitting a bid: who may, what is refused and with which status (API.md)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from bidding.models import Bid, Project
from providers.models import AgencyService, Qualification
from tests.bidding.conftest import api_as
from tests.factories.accounts import AgencyFactory
from tests.factories.bidding import (
    T0,
    ProjectFactory,
    agency_offering,
    open_bids,
    published_project,
    qualify,
)

pytestmark = pytest.mark.django_db
DURING = T0 + dt.timedelta(days=1)


def submit(agency, project, **body):
    body.setdefault("price", "80000.00")
    body.setdefault("promised_days", 20)
    body.setdefault("proposal", "技术方案")
    with time_machine.travel(DURING, tick=False):
        return api_as(agency).post(f"/api/v1/projects/{project.pk}/bids/", body, format="json")


def test_a_valid_bid_is_accepted_with_a_receipt(project, agencies):
    response = submit(agencies[0], project)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted" and len(body["receipt"]) == 64
    assert isinstance(body["id"], int)


def test_the_bid_keeps_a_frozen_copy_of_the_agencys_commitments(project):
    agency = agency_offering(promised_days=30, fee_max=Decimal("99000"))
    body = submit(agency, project, promised_days=25).json()
    AgencyService.objects.filter(agency=agency).update(fee_standard="新的收费标准",
                                                       service_standard="新的服务标准")
    offer = Bid.objects.get(pk=body["id"])
    assert offer.promised_days == 25
    assert offer.fee_standard == "按国家收费标准下浮"
    assert offer.service_standard == "按规范出具报告"
    assert offer.fee_max == Decimal("99000.00")


def test_a_second_live_bid_by_the_same_agency_is_a_conflict(project, agencies):
    assert submit(agencies[0], project).status_code == 201
    response = submit(agencies[0], project)
    assert response.status_code == 409 and "detail" in response.json()
    assert response.json()["code"] == "bid.live_bid_exists"


@pytest.mark.parametrize("status", ["cancelled", "evaluating"])
def test_bidding_on_a_project_not_open_for_bids_is_a_conflict(agencies, status):
    project = published_project()
    Project.objects.filter(pk=project.pk).update(status=status)
    refusal = submit(agencies[0], project)
    assert (refusal.status_code, refusal.json()["code"]) == (409, "project.not_open_for_bids")


def test_drafts_are_invisible_to_agencies(agencies):
    refusal = submit(agencies[0], ProjectFactory())
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")


def test_blacklisted_agency_is_forbidden(project):
    agency = agency_offering(blacklisted_until=T0 + dt.timedelta(days=365))
    refusal = submit(agency, project)
    assert (refusal.status_code, refusal.json()["code"]) == (403, "org.blacklisted")


def test_suspended_agency_is_forbidden(project):
    agency = agency_offering(status="suspended")
    refusal = submit(agency, project)
    assert (refusal.status_code, refusal.json()["code"]) == (403, "org.suspended")


def test_an_owner_cannot_bid(project):
    refusal = submit(project.owner, project)
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")


def test_anonymous_cannot_bid(project, api_client):
    response = api_client.post(f"/api/v1/projects/{project.pk}/bids/", {}, format="json")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_over_the_budget_cap_is_invalid(project, agencies):
    response = submit(agencies[0], project, price="100000.01")
    assert response.status_code == 400 and "price" in response.json()
    assert response.json()["code"] == "bid.requirements_unmet"
    assert submit(agencies[1], project, price="100000.00").status_code == 201


def test_service_not_offered_is_invalid(project):
    response = submit(AgencyFactory(), project)
    assert response.status_code == 400 and "service_item" in response.json()
    assert response.json()["code"] == "bid.requirements_unmet"


def test_missing_qualification_is_invalid_declared_counts_expired_and_rejected_do_not(agencies):
    project = ProjectFactory()
    project.required_qualifications.set([qualify(agencies[0], "EIA").qualification_type])
    from tests.factories.bidding import publish

    publish(project, now=T0)
    qualify(agencies[1], "EIA", valid_until=DURING.date() - dt.timedelta(days=1))
    qualify(agencies[2], "EIA", status=Qualification.Status.REJECTED)
    assert submit(agencies[0], project).status_code == 201
    for agency in (agencies[1], agencies[2], agencies[3]):
        response = submit(agency, project)
        assert response.status_code == 400 and "requirements" in response.json()
        assert response.json()["code"] == "bid.requirements_unmet"


def test_a_qualification_valid_through_the_day_counts(agencies):
    project = ProjectFactory()
    project.required_qualifications.set(
        [qualify(agencies[0], "EIA", valid_until=DURING.date()).qualification_type])
    from tests.factories.bidding import publish

    publish(project, now=T0)
    assert submit(agencies[0], project).status_code == 201


def test_minimum_grade_is_enforced(agencies):
    project = published_project(min_grade="B")
    low = agency_offering(credit_grade="C", credit_score=Decimal("65"))
    good = agency_offering(credit_grade="A", credit_score=Decimal("95"))
    refusal = submit(low, project)
    assert (refusal.status_code, refusal.json()["code"]) == (400, "bid.requirements_unmet")
    assert submit(good, project).status_code == 201


def test_promising_more_days_than_committed_is_invalid(project):
    agency = agency_offering(promised_days=15)
    response = submit(agency, project, promised_days=16)
    assert response.status_code == 400 and "promised_days" in response.json()
    assert response.json()["code"] == "bid.requirements_unmet"


def test_price_above_the_agencys_committed_maximum_fee_is_invalid(project):
    agency = agency_offering(fee_max=Decimal("50000"))
    refusal = submit(agency, project, price="60000")
    assert (refusal.status_code, refusal.json()["code"]) == (400, "bid.requirements_unmet")


def test_discount_rate_is_converted_to_a_price_within_bounds(agencies):
    project = published_project(quote_format=Project.QuoteFormat.DISCOUNT_RATE,
                                discount_rate_min=Decimal("5"), discount_rate_max=Decimal("20"))
    ok = submit(agencies[0], project, price=None, discount_rate="12.50")
    assert ok.status_code == 201, ok.json()
    assert ok.json()["price"] == "87500.00" and ok.json()["discount_rate"] == "12.50"
    out_of_range = submit(agencies[1], project, price=None, discount_rate="25")
    assert out_of_range.status_code == 400 and "discount_rate" in out_of_range.json()
    assert out_of_range.json()["code"] == "bid.requirements_unmet"
    missing = submit(agencies[2], project, price="80000")
    assert missing.status_code == 400 and "discount_rate" in missing.json()
    assert missing.json()["code"] == "bid.requirements_unmet"


def test_an_excluded_agency_is_refused_with_the_reason(project, agencies):
    project.exclusions.create(agency=agencies[0], reason="为业主提供过前期咨询")
    response = submit(agencies[0], project)
    assert response.status_code == 403
    assert response.json()["code"] == "bid.not_eligible"
    assert "为业主提供过前期咨询" in response.json()["detail"]


def test_an_exclusion_added_after_bidding_invalidates_the_bid_at_opening(project, agencies):
    for agency in agencies[:3]:
        assert submit(agency, project).status_code == 201
    project.exclusions.create(agency=agencies[0], reason="发现关联关系")
    open_bids(project)
    offer = Bid.objects.get(project=project, agency=agencies[0])
    assert offer.valid is False and "发现关联关系" in offer.invalid_reason
