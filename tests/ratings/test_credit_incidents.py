"""Contracts' credit incidents and bidding's upheld objections become credit events once, even
when the signal is replayed or lost."""

import datetime as dt

import pytest
from django.db import transaction

from bidding import services as bidding
from bidding.models import Project
from bidding.signals import project_event
from contracts.models import CreditIncident
from contracts.signals import credit_incident
from ratings.models import BlacklistEntry, CreditEvent
from ratings.services.incidents import record_missing_incidents
from tests.factories import bidding as bidding_factories
from tests.factories.bidding import agency_offering, bid, open_bids, user_of
from tests.factories.ratings import T0, closed_contract

pytestmark = pytest.mark.django_db


def _incident(contract, kind="late_delivery", days=4, **kwargs):
    return CreditIncident.objects.create(organization=contract.agency, contract=contract,
                                         kind=kind, days=days, occurred_at=T0, **kwargs)


def test_an_incident_signal_records_an_event_once_on_replay():
    contract = closed_contract()
    incident = _incident(contract)
    with transaction.atomic():
        credit_incident.send(sender=CreditIncident, incident=incident)
        credit_incident.send(sender=CreditIncident, incident=incident)
    recorded = CreditEvent.objects.get(source_kind="contracts.creditincident")
    assert recorded.event_type == "late_delivery" and recorded.organization == contract.agency
    assert recorded.points == 4 and recorded.source_id == incident.pk


def test_incidents_whose_signal_was_lost_are_caught_up_once():
    contract = closed_contract()
    incident = _incident(contract, kind="refusal_to_sign", days=0)
    assert record_missing_incidents() == 1
    assert record_missing_incidents() == 0
    assert CreditEvent.objects.get().source_id == incident.pk


def test_three_refusal_incidents_blacklist_the_agency():
    contract = closed_contract()
    agency = contract.agency
    for _ in range(3):
        other = closed_contract(agency=agency)
        credit_incident.send(sender=CreditIncident, incident=CreditIncident.objects.create(
            organization=agency, contract=other, kind="refusal_to_sign", occurred_at=T0))
    assert BlacklistEntry.objects.get(organization=agency).rule == "refusals_to_sign"


@pytest.fixture
def publicity():
    """A lowest-price award in publicity: three bids, the 80,000 one proposed."""
    project = bidding_factories.published_project(now=bidding_factories.T0)
    agencies = [agency_offering() for _ in range(3)]
    offers = [bid(project, a, p) for a, p in zip(agencies, ["90000", "80000", "85000"],
                                                 strict=True)]
    project = open_bids(project)
    now = project.bid_deadline + dt.timedelta(hours=1)
    project = bidding.project_award(project=project, by=user_of(project.owner), now=now)
    objection = bidding.objection_file(project=project, by=user_of(agencies[0]),
                                       reason="中选单位业绩造假", now=now)
    return {"project": project, "winner": offers[1].agency, "objection": objection,
            "decide": lambda **kw: bidding.objection_decide(
                objection=objection, by=user_of(project.owner), reply="经核实，质疑成立",
                now=now, **kw)}


def objection_events():
    return list(CreditEvent.objects.filter(event_type="objection_upheld"))


def test_an_objection_upheld_against_the_awarded_bid_counts_against_its_agency(publicity):
    publicity["decide"](upheld=True, exclude_bid=True)
    [event] = objection_events()
    assert event.organization == publicity["winner"]
    assert event.basis == "经核实，质疑成立" and event.points > 0
    assert event.source_kind == "bidding.objection"


def test_an_objection_upheld_against_the_award_decision_counts_against_the_owner(publicity):
    publicity["decide"](upheld=True, exclude_bid=False)
    [event] = objection_events()
    assert event.organization == publicity["project"].owner


def test_a_rejected_objection_records_nothing(publicity):
    publicity["decide"](upheld=False)
    assert objection_events() == []


def test_a_replayed_decision_signal_records_once(publicity):
    publicity["decide"](upheld=True)
    project_event.send(sender=Project, event="objection_decided",
                       objection_id=publicity["objection"].pk)
    assert len(objection_events()) == 1
