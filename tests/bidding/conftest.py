import datetime as dt

import pytest

from tests.conftest import client_for
from tests.factories.bidding import T0, agency_offering, published_project, user_of


@pytest.fixture(autouse=True, scope="session")
def _celery_tasks_registered():
    """Eager mode runs tasks from the app's registry, which a worker fills by autodiscovery at
    start-up; the test process has to ask for it (else `notifications.send_email` is unknown)."""
    from marketplace.celery import app

    app.loader.import_default_modules()


@pytest.fixture
def agencies(db):
    """Four agencies offering the default service item, credit scores 80 (the default)."""
    return [agency_offering() for _ in range(4)]


@pytest.fixture
def project(db):
    """A lowest-price project published at T0, bids close at T0 + 4 days."""
    return published_project(now=T0)


@pytest.fixture
def deadline(project):
    return project.bid_deadline


@pytest.fixture
def before_deadline(project):
    return project.bid_deadline - dt.timedelta(days=1)


def api_as(organization):
    return client_for(user_of(organization))
