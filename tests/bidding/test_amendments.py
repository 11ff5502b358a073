"""Correction notices (更正公告) while bidding: re-confirmation and deadline extension."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from bidding import services
from bidding.errors import DeadlinePassed, RequirementsUnmet
from bidding.models import Project
from marketplace.errors import DomainError, StateConflict
from marketplace.notifications.models import Notification
from tests.bidding.conftest import api_as
from tests.factories.bidding import T0, bid, open_bids, published_project, user_of

pytestmark = pytest.mark.django_db


def amend(project, *, now, reason="更正预算", **changes):
    return services.project_amend(project=project, by=user_of(project.owner), reason=reason,
                                  changes=changes, now=now)


def test_every_live_bid_needs_reconfirmation_and_bidders_are_told(
        project, agencies, django_capture_on_commit_callbacks):
    bids = [bid(project, a) for a in agencies[:2]]
    with django_capture_on_commit_callbacks(execute=True):
        amend(project, now=T0 + dt.timedelta(days=1), description="补充：含公众参与")
    for b in bids:
        b.refresh_from_db()
        assert b.needs_reconfirmation
        assert Notification.objects.filter(user=user_of(b.agency),
                                           kind="bidding.amended").exists()


def test_the_deadline_is_extended_to_keep_the_minimum_period(project, settings):
    settings.MARKETPLACE_MIN_BIDDING_PERIOD = "72h"
    now = project.bid_deadline - dt.timedelta(hours=10)
    amendment = amend(project, now=now, title="更正标题")
    project.refresh_from_db()
    assert project.bid_deadline == now + dt.timedelta(hours=72)
    assert amendment.previous_deadline == T0 + dt.timedelta(days=4)
    assert amendment.bid_deadline == project.bid_deadline


def test_the_deadline_stays_when_enough_time_remains(project, settings):
    settings.MARKETPLACE_MIN_BIDDING_PERIOD = "72h"
    before = project.bid_deadline
    amend(project, now=T0 + dt.timedelta(hours=1), title="更正标题")
    project.refresh_from_db()
    assert project.bid_deadline == before


def test_the_changes_are_published_with_from_and_to(project, api_client):
    amend(project, now=T0 + dt.timedelta(hours=1), budget_cap=Decimal("90000.00"))
    body = api_client.get(f"/api/v1/projects/{project.pk}/amendments/").json()
    assert body["count"] == 1
    assert body["results"][0]["changes"]["budget_cap"] == {"from": "100000.00",
                                                           "to": "90000.00"}


def test_an_unconfirmed_bid_does_not_count_at_opening(project, agencies):
    kept, confirmed, revised = (bid(project, a) for a in agencies[:3])
    now = T0 + dt.timedelta(days=1)
    amend(project, now=now, description="更正内容")
    services.bid_confirm(bid=confirmed, by=user_of(confirmed.agency), now=now)
    services.bid_revise(bid=revised, by=user_of(revised.agency), price=Decimal("70000"),
                        now=now)
    project.refresh_from_db()
    open_bids(project)
    for offer in (kept, confirmed, revised):
        offer.refresh_from_db()
    assert kept.valid is False and kept.invalid_reason
    assert confirmed.valid and revised.valid


def test_confirmation_rechecks_the_amended_terms(project, agencies):
    expensive = bid(project, agencies[0], "95000")
    now = T0 + dt.timedelta(days=1)
    amend(project, now=now, budget_cap=Decimal("90000"))
    with pytest.raises(RequirementsUnmet) as refused:
        services.bid_confirm(bid=expensive, by=user_of(agencies[0]), now=now)
    assert refused.value.field == "price"


def test_a_discount_rate_bid_is_repriced_and_resealed_on_confirmation(agencies):
    project = published_project(quote_format=Project.QuoteFormat.DISCOUNT_RATE,
                                discount_rate_min=Decimal("0"), discount_rate_max=Decimal("30"))
    offer = bid(project, agencies[0], None, discount_rate=Decimal("10"))
    assert offer.price == Decimal("90000.00")
    receipt = offer.receipt
    now = T0 + dt.timedelta(days=1)
    amend(project, now=now, budget_cap=Decimal("80000"))
    offer = services.bid_confirm(bid=offer, by=user_of(agencies[0]), now=now)
    assert offer.price == Decimal("72000.00") and offer.receipt != receipt


def test_only_announced_terms_can_be_amended(project):
    with pytest.raises(DomainError) as refused:
        amend(project, now=T0 + dt.timedelta(hours=1), selection_method="random")
    assert refused.value.field == "changes"


def test_no_amendment_after_the_deadline_or_outside_bidding(project):
    with pytest.raises(StateConflict) as refused:
        amend(project, now=project.bid_deadline, title="迟到的更正")
    assert refused.value.code == "bid.deadline_passed"
    services.project_cancel(project=project, by=user_of(project.owner), reason="需求取消",
                            now=T0 + dt.timedelta(hours=1))
    project.refresh_from_db()
    with pytest.raises(StateConflict) as refused:
        amend(project, now=T0 + dt.timedelta(hours=2), title="取消后的更正")
    assert refused.value.code == "project.not_open_for_bids"


def test_amendment_through_the_api(project):
    with time_machine.travel(T0 + dt.timedelta(hours=2), tick=False):
        response = api_as(project.owner).post(
            f"/api/v1/projects/{project.pk}/amendments/",
            {"reason": "资质要求更正", "changes": {"requirements": {"qualifications": ["EIA"]}}},
            format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["changes"]["required_qualifications"] == {"from": [], "to": ["EIA"]}
    project.refresh_from_db()
    assert list(project.required_qualifications.values_list("code", flat=True)) == ["EIA"]


def test_a_bid_cannot_be_confirmed_after_the_deadline(project, agencies):
    offer = bid(project, agencies[0])
    amend(project, now=T0 + dt.timedelta(hours=1), title="更正")
    project.refresh_from_db()
    with pytest.raises(DeadlinePassed) as refused:
        services.bid_confirm(bid=offer, by=user_of(agencies[0]), now=project.bid_deadline)
    assert refused.value.code == "bid.deadline_passed"


def test_reconfirmation_through_the_api(project, agencies):
    offer = bid(project, agencies[0])
    now = T0 + dt.timedelta(days=1)
    amend(project, now=now, description="更正内容")
    with time_machine.travel(now, tick=False):
        before = api_as(agencies[0]).get(f"/api/v1/bids/{offer.pk}/").json()
        response = api_as(agencies[0]).post(f"/api/v1/bids/{offer.pk}/confirm/")
    assert before["needs_reconfirmation"] is True
    assert response.status_code == 200
    assert response.json()["needs_reconfirmation"] is False
    assert response.json()["receipt"] == offer.receipt  # same content, same receipt
