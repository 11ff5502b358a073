"""Who receives what (issue 17 §5): a project published in the agency's service scope and
region, its own bid's opening result, award decisions on its projects and bids, contract
events of its contracts, sanctions against it; only endpoints subscribed to the event."""

import datetime as dt
import json

import pytest

from marketplace.webhooks.delivery import emit
from marketplace.webhooks.models import Delivery, WebhookEvent
from tests.factories.accounts import AgencyFactory, region
from tests.factories.bidding import (
    T0,
    agency_offering,
    bid,
    open_bids,
    published_project,
)
from tests.webhooks.conftest import register

pytestmark = pytest.mark.django_db
URL = "http://127.0.0.1:9/hook"


def _delivered_to(organization, event: str) -> list[dict]:
    return [json.loads(d.event.body) for d in Delivery.objects.filter(
        endpoint__organization=organization, event__event=event).select_related("event")]


def test_a_published_project_goes_to_agencies_offering_its_item():
    offering, not_offering = agency_offering(), AgencyFactory()
    for agency in (offering, not_offering):
        register(agency, URL, ["project.published"])
    project = published_project()
    assert [b["data"]["project"]["id"] for b in _delivered_to(offering, "project.published")
            ] == [project.pk]
    assert _delivered_to(not_offering, "project.published") == []


def test_an_agency_with_regional_alerts_hears_only_of_projects_in_its_region():
    here, elsewhere = region("500103"), region("500104")
    local = agency_offering(regional_alerts=True, region=here)
    distant = agency_offering(regional_alerts=True, region=elsewhere)
    for agency in (local, distant):
        register(agency, URL, ["project.published"])
    published_project(region=here)
    assert len(_delivered_to(local, "project.published")) == 1
    assert _delivered_to(distant, "project.published") == []


def test_only_endpoints_subscribed_to_the_event_and_active_receive_it():
    agency = agency_offering()
    register(agency, URL, ["bid.opened"])
    disabled, _secret = register(agency, URL, ["project.published"])
    disabled.active = False
    disabled.save()
    published_project()
    assert not Delivery.objects.exists()
    assert not WebhookEvent.objects.exists()  # nobody listens: nothing stored


def test_each_bidder_hears_its_own_bid_opened_and_nobody_else_s():
    first, second = agency_offering(), agency_offering()
    for agency in (first, second):
        register(agency, URL, ["bid.opened"])
    project = published_project(min_bidders=1)
    mine = bid(project, first, "80000.00")
    bid(project, second, "90000.00")
    open_bids(project)
    [body] = _delivered_to(first, "bid.opened")
    assert body["data"]["bid"]["id"] == mine.pk
    assert body["data"]["bid"]["rank"] == 1
    assert body["data"]["bid"]["price"] == "80000.00"
    assert body["data"]["project"]["status"] == "evaluating"
    [other] = _delivered_to(second, "bid.opened")
    assert other["data"]["bid"]["id"] != mine.pk


def test_an_award_decision_goes_to_the_owner_and_the_bidders_only():
    from bidding import services as bidding
    from tests.factories.bidding import user_of

    winner, loser, outsider = agency_offering(), agency_offering(), agency_offering()
    project = published_project(min_bidders=1, now=T0)
    for organization in (project.owner, winner, loser, outsider):
        register(organization, URL, ["award.proposed"])
    bid(project, winner, "80000.00")
    bid(project, loser, "85000.00")
    project = open_bids(project)
    bidding.project_award(project=project, by=user_of(project.owner),
                          now=project.bid_deadline + dt.timedelta(hours=1))
    for organization in (project.owner, winner, loser):
        [body] = _delivered_to(organization, "award.proposed")
        assert body["data"]["award"]["agency"]["id"] == winner.pk
    assert _delivered_to(outsider, "award.proposed") == []


def test_one_event_has_one_id_for_all_its_endpoints_and_ids_differ_between_events():
    a, b = agency_offering(), agency_offering()
    for agency in (a, b):
        register(agency, URL, ["sanction.listed"])
    first = emit("sanction.listed", {"n": 1}, organizations=[a, b])
    second = emit("sanction.listed", {"n": 2}, organizations=[a])
    assert first.pk != second.pk
    ids = {str(d.event_id) for d in Delivery.objects.filter(event=first)}
    assert ids == {str(first.pk)}
    assert json.loads(first.body)["id"] == str(first.pk)


def test_an_unknown_event_name_fails_in_the_emitting_code():
    with pytest.raises(ValueError):
        emit("project.publishd", {}, organizations=[])
