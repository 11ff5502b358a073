import datetime as dt

import pytest

from tests.conftest import client_for
from tests.factories.bidding import user_of
from tests.factories.contracts import active_contract, contract_awaiting_signatures


@pytest.fixture(autouse=True, scope="session")
def _celery_tasks_registered():
    """Eager mode runs tasks from the app's registry, which a worker fills by autodiscovery."""
    from marketplace.celery import app

    app.loader.import_default_modules()


@pytest.fixture
def contract(db, time_machine):
    """A lowest-price project run to a final award: the contract awaits both signatures; the
    clock stands an hour after drawing up."""
    contract = contract_awaiting_signatures()
    time_machine.move_to(contract.created_at + dt.timedelta(hours=1), tick=False)
    return contract


@pytest.fixture
def active(db, time_machine):
    """A contract both parties signed (in force, the service clock running for an hour)."""
    contract = active_contract()
    time_machine.move_to(contract.activated_at + dt.timedelta(hours=1), tick=False)
    return contract


def api_as(organization):
    return client_for(user_of(organization))
