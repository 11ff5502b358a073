"""Contracts' credit incidents become credit events once, even when the signal is replayed
or lost."""

import pytest
from django.db import transaction

from contracts.models import CreditIncident
from contracts.signals import credit_incident
from ratings.models import BlacklistEntry, CreditEvent
from ratings.services.incidents import record_missing_incidents
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
