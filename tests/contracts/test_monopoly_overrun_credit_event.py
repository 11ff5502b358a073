"""A monopoly item's time limit overrun (issue 17 §3) is recorded once against the agency, by
the beat task through the path a late delivery takes (contracts' credit incident, which ratings
turns into a credit event); accepting a delivery records an overrun the beat has not seen."""

import datetime as dt

import pytest

from contracts import services, tasks
from contracts.models import CreditIncident
from marketplace.audit.models import AuditEntry
from marketplace.notifications.models import Notification
from ratings.models import CreditEvent
from tests.factories.bidding import user_of
from tests.factories.contracts import active_contract, monopoly_contract

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
OVERRUN = CreditIncident.Kind.TIME_LIMIT_OVERRUN


def _events(contract):
    return CreditEvent.objects.filter(event_type=CreditEvent.Type.TIME_LIMIT_OVERRUN,
                                      organization=contract.agency)


def test_the_beat_records_the_overrun_once_against_the_agency(
        time_machine, django_capture_on_commit_callbacks):
    contract = monopoly_contract(days=10)
    time_machine.move_to(contract.activated_at + 10 * DAY - dt.timedelta(minutes=1), tick=False)
    assert tasks.watch_time_limits()["overrun"] == 0
    time_machine.move_to(contract.activated_at + 10 * DAY + dt.timedelta(hours=2), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.watch_time_limits() == {"warned": 0, "overrun": 1}
    incident = CreditIncident.objects.get(contract=contract, kind=OVERRUN)
    assert incident.organization_id == contract.agency_id and incident.days == 1
    assert incident.data["time_limit_days"] == 10
    event = _events(contract).get()
    assert event.points > 0 and event.source_id == incident.pk
    # Written once, in the platform's language (the public credit page shows it as stored).
    assert event.public_note == "超出垄断性服务事项10天的服务时限"
    assert AuditEntry.objects.filter(action="contract.time_limit_overrun").count() == 1
    told = set(Notification.objects.filter(kind="contracts.time_limit_overrun")
               .values_list("user__membership__organization_id", flat=True))
    assert {contract.owner_id, contract.agency_id} <= told
    # The next ticks, days later: nothing more.
    time_machine.move_to(contract.activated_at + 20 * DAY, tick=False)
    assert tasks.watch_time_limits() == {"warned": 0, "overrun": 0}
    assert services.contract_check_time_limit(contract=contract) is None
    assert _events(contract).count() == 1
    assert CreditIncident.objects.filter(contract=contract, kind=OVERRUN).count() == 1


def test_the_overrun_counts_in_the_agencys_credit_score(time_machine):
    from ratings.services import credit_recompute_organization

    contract = monopoly_contract(days=10)
    before = contract.agency.credit_score
    time_machine.move_to(contract.activated_at + 11 * DAY, tick=False)
    tasks.watch_time_limits()
    credit_recompute_organization(organization=contract.agency)
    contract.agency.refresh_from_db()
    assert contract.agency.credit_score < before


def test_accepting_a_delivery_past_the_limit_records_the_overrun_the_beat_missed(time_machine):
    contract = monopoly_contract(days=10)
    services.contract_deliver(contract=contract, by=user_of(contract.agency), note="报告书",
                              now=contract.activated_at + 9 * DAY)
    # The owner takes two days to accept: the clock runs until acceptance.
    services.contract_accept(contract=contract, by=user_of(contract.owner),
                             now=contract.activated_at + 11 * DAY)
    assert CreditIncident.objects.filter(contract=contract, kind=OVERRUN).count() == 1
    assert _events(contract).count() == 1
    assert tasks.watch_time_limits() == {"warned": 0, "overrun": 0}


def test_work_accepted_within_the_limit_records_nothing(time_machine):
    contract = monopoly_contract(days=10)
    services.contract_deliver(contract=contract, by=user_of(contract.agency), note="报告书",
                              now=contract.activated_at + 5 * DAY)
    services.contract_accept(contract=contract, by=user_of(contract.owner),
                             now=contract.activated_at + 6 * DAY)
    assert services.watch_time_limits(now=contract.activated_at + 30 * DAY) == {
        "warned": 0, "overrun": 0}
    assert not CreditIncident.objects.filter(contract=contract, kind=OVERRUN).exists()


def test_an_ordinary_contract_past_its_promise_has_no_overrun_only_late_delivery():
    contract = active_contract(promised_days=5)
    assert services.watch_time_limits(now=contract.activated_at + 30 * DAY)["overrun"] == 0
    services.contract_deliver(contract=contract, by=user_of(contract.agency), note="报告书",
                              now=contract.activated_at + 7 * DAY)
    kinds = set(CreditIncident.objects.filter(contract=contract).values_list("kind", flat=True))
    assert kinds == {CreditIncident.Kind.LATE_DELIVERY}
