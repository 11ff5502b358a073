"""The regulators' console lists the monopoly items' contracts (issue 17 §3): running, near the
time limit and overrun, with the competent department, each linking to the contract."""

import datetime as dt
import re

import pytest
from django.test import Client

from contracts import tasks
from marketplace.accounts import services as accounts
from tests.factories.accounts import PASSWORD, log_in_verified
from tests.factories.bidding import user_of
from tests.factories.contracts import MONOPOLY_DEPARTMENT, active_contract, monopoly_contract

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture
def console(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    log_in_verified(client, accounts.create_regulator(username="monopoly-regulator",
                                                      password=PASSWORD))
    return client


def _panel(console) -> str:
    page = console.get("/console/").content.decode()
    match = re.search(r'<section[^>]*id="monopoly-time-limits".*?</section>', page, re.S)
    assert match, "the panel is on the dashboard"
    return match.group(0)


def _count(panel: str, key: str) -> int:
    return int(re.search(rf'data-count="monopoly-{key}">(\d+)<', panel).group(1))


def _table(panel: str, key: str) -> str:
    match = re.search(rf'<table[^>]*data-monopoly="{key}".*?</table>', panel, re.S)
    return match.group(0) if match else ""


def test_a_contract_moves_from_running_to_near_to_overrun(console, time_machine):
    ordinary = active_contract()  # drawn up before the item became a monopoly item
    contract = monopoly_contract(days=10)
    time_machine.move_to(contract.activated_at + 2 * DAY, tick=False)
    panel = _panel(console)
    assert "Monopoly items: time-limited service" in panel
    assert (_count(panel, "running"), _count(panel, "near"), _count(panel, "overrun")) == (
        1, 0, 0)
    running = _table(panel, "running")
    assert f'href="/workspace/contracts/{contract.pk}/"' in running
    assert MONOPOLY_DEPARTMENT in running and contract.agency.name in running
    assert "10 days" in running and "2.0 used, 8.0 remaining" in running
    assert f"/workspace/contracts/{ordinary.pk}/" not in panel

    time_machine.move_to(contract.activated_at + 8 * DAY, tick=False)
    panel = _panel(console)
    assert (_count(panel, "running"), _count(panel, "near")) == (0, 1)
    assert "2.0 remaining" in _table(panel, "near")

    time_machine.move_to(contract.activated_at + 12 * DAY, tick=False)
    tasks.watch_time_limits()
    panel = _panel(console)
    assert (_count(panel, "near"), _count(panel, "overrun")) == (0, 1)
    assert "overrun by 2 days" in _table(panel, "overrun")


def test_an_overrun_contract_stays_listed_after_acceptance(console, time_machine):
    from contracts import services

    contract = monopoly_contract(days=10)
    services.contract_deliver(contract=contract, by=user_of(contract.agency), note="报告书",
                              now=contract.activated_at + 11 * DAY)
    services.contract_accept(contract=contract, by=user_of(contract.owner),
                             now=contract.activated_at + 12 * DAY)
    time_machine.move_to(contract.activated_at + 20 * DAY, tick=False)
    overrun = _table(_panel(console), "overrun")
    assert f"/workspace/contracts/{contract.pk}/" in overrun
    assert "overrun by 2 days" in overrun and "Completed" in overrun


def test_owners_do_not_get_the_console(time_machine):
    contract = monopoly_contract(days=10)
    client = Client()
    client.force_login(user_of(contract.owner))
    response = client.get("/console/")
    assert response.status_code in (302, 403)
    assert "monopoly-time-limits" not in response.content.decode()


def test_the_panel_reads_its_rows_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    from contracts.selectors import monopoly_contracts

    contracts = [monopoly_contract(days=10) for _ in range(4)]
    now = max(c.activated_at for c in contracts) + 2 * DAY
    # The rows and their suspensions; not two more per contract (clock and overrun record).
    with django_assert_max_num_queries(2):
        groups = monopoly_contracts(now=now)
    assert sorted(limit.contract.pk for limit in groups["running"]) == sorted(
        c.pk for c in contracts)
    assert not any(limit.overrun_recorded for limit in groups["running"])
