"""A monopoly item's time-limited service (issue 17 §3): the contract keeps the limit published
when the project was; the clock runs against it (suspensions excluded); the owner, the agency
and the region's regulators are told once before it runs out; both parties see it."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from contracts import services
from contracts.models import Contract
from marketplace.catalog.services import service_item_update
from marketplace.notifications.models import Notification
from tests.factories.accounts import (
    GovernmentOwnerFactory,
    RegulatorFactory,
    member_of,
    region,
)
from tests.factories.bidding import T0, service_item, user_of
from tests.factories.contracts import (
    MONOPOLY_DEPARTMENT,
    active_contract,
    contract_awaiting_signatures,
    make_monopoly,
    monopoly_contract,
)

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _told(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=f"contracts.{kind}")
               .values_list("user__membership__organization_id", flat=True))


def test_the_contract_keeps_the_limit_published_when_the_project_was():
    item = make_monopoly(days=10)
    first = contract_awaiting_signatures(method="direct", prices=("80000.00",), min_bidders=1,
                                         owner=GovernmentOwnerFactory())
    # The department publishes a new limit after the first project and before the second.
    service_item_update(item, member_of(RegulatorFactory()), "主管部门调整时限",
                        now=T0 + dt.timedelta(days=2), time_limit_days=25,
                        competent_department="重庆市住房和城乡建设委员会")
    second = contract_awaiting_signatures(method="direct", prices=("70000.00",),
                                          min_bidders=1, owner=GovernmentOwnerFactory(),
                                          start=T0 + dt.timedelta(days=3))
    assert (first.time_limit_days, first.competent_department) == (10, MONOPOLY_DEPARTMENT)
    assert (second.time_limit_days, second.competent_department) == (
        25, "重庆市住房和城乡建设委员会")
    first.refresh_from_db()
    assert first.time_limit_days == 10


def test_an_ordinary_item_has_no_time_limit():
    contract = active_contract()
    assert not service_item().is_monopoly
    assert contract.time_limit_days is None and not contract.is_time_limited
    assert services.watch_time_limits(now=contract.activated_at + 400 * DAY) == {
        "warned": 0, "overrun": 0}


def test_the_parties_and_the_regulators_are_told_once_before_the_limit(
        time_machine, django_capture_on_commit_callbacks):
    contract = monopoly_contract(days=10)
    local = RegulatorFactory(region=region())
    elsewhere = RegulatorFactory(region=region("500101"))
    member_of(local), member_of(elsewhere)
    assert services.watch_time_limits(now=contract.activated_at + 6 * DAY)["warned"] == 0
    # Three days before a ten-day limit (20 % would be two: the longer one counts).
    time_machine.move_to(contract.activated_at + 7 * DAY + dt.timedelta(hours=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.watch_time_limits()["warned"] == 1
    told = _told("time_limit_near")
    assert {contract.owner_id, contract.agency_id, local.pk} <= told
    assert elsewhere.pk not in told
    body = Notification.objects.filter(kind="contracts.time_limit_near").first().body
    assert "10" in body and MONOPOLY_DEPARTMENT in body
    count = Notification.objects.filter(kind="contracts.time_limit_near").count()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.watch_time_limits()["warned"] == 0
    assert Notification.objects.filter(kind="contracts.time_limit_near").count() == count
    contract.refresh_from_db()
    assert contract.time_limit_warned_at == contract.activated_at + 7 * DAY + dt.timedelta(
        hours=1)


def test_a_suspension_holds_the_warning_back(time_machine):
    contract = monopoly_contract(days=10)
    services.contract_suspend(contract=contract, by=user_of(contract.owner), reason="等待补充资料",
                              now=contract.activated_at + DAY)
    time_machine.move_to(contract.activated_at + 9 * DAY, tick=False)
    assert services.watch_time_limits() == {"warned": 0, "overrun": 0}
    services.contract_resume(contract=contract, by=user_of(contract.owner),
                             now=contract.activated_at + 9 * DAY)
    assert services.watch_time_limits(now=contract.activated_at + 14 * DAY)["warned"] == 0
    assert services.watch_time_limits(now=contract.activated_at + 15 * DAY)["warned"] == 1


def test_the_warning_share_is_configurable(settings):
    settings.MARKETPLACE_TIME_LIMIT_WARNING_PERCENT = 50
    contract = monopoly_contract(days=10)
    assert services.watch_time_limits(now=contract.activated_at + 4 * DAY)["warned"] == 0
    assert services.watch_time_limits(now=contract.activated_at + 5 * DAY)["warned"] == 1


@pytest.mark.parametrize("party", ["owner", "agency"])
def test_both_parties_see_the_limit_and_the_days_remaining(party, time_machine):
    contract = monopoly_contract(days=10)
    time_machine.move_to(contract.activated_at + 4 * DAY, tick=False)
    client = Client()
    client.force_login(user_of(getattr(contract, party)))
    with translation.override("en"):
        page = client.get(f"/workspace/contracts/{contract.pk}/",
                          HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Time limit (monopoly item)" in page
    assert "To be completed within 10 days on the service clock." in page
    assert MONOPOLY_DEPARTMENT in page
    assert "6.0 days remaining before the time limit." in page
    time_machine.move_to(contract.activated_at + 12 * DAY, tick=False)
    with translation.override("en"):
        page = client.get(f"/workspace/contracts/{contract.pk}/",
                          HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Time limit overrun by 2 days." in page


def test_an_ordinary_contract_page_has_no_time_limit(time_machine):
    contract = active_contract()
    client = Client()
    client.force_login(user_of(contract.owner))
    page = client.get(f"/workspace/contracts/{contract.pk}/").content.decode()
    assert 'id="time-limit"' not in page
    assert Contract.objects.filter(time_limit_days__isnull=False).count() == 0


def test_the_api_gives_the_time_limit_to_the_parties(time_machine):
    from tests.contracts.conftest import api_as

    ordinary = active_contract()  # drawn up before the item became a monopoly item
    contract = monopoly_contract(days=10)
    time_machine.move_to(contract.activated_at + 8 * DAY, tick=False)
    body = api_as(contract.agency).get(f"/api/v1/contracts/{contract.pk}/").json()
    assert body["time_limit"] == {"days": 10, "competent_department": MONOPOLY_DEPARTMENT,
                                  "remaining_days": 2.0, "overrun_days": 0, "state": "near",
                                  "overrun_recorded": False}
    body = api_as(ordinary.owner).get(f"/api/v1/contracts/{ordinary.pk}/").json()
    assert body["time_limit"] is None
