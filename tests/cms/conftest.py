import pytest

from marketplace.accounts import services as accounts
from tests.bidding.conftest import _celery_tasks_registered, agencies  # noqa: F401
from tests.factories.accounts import PASSWORD
from tests.factories.bidding import T0, published_project


@pytest.fixture(autouse=True)
def _fresh_menu():
    """The menu cache outlives a test's rolled-back pages: start each test without it."""
    from cms import menu

    menu.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): service(...)` runs the after-commit effects (the outbox and its
    eager tasks) as a real commit would; the test's own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def project(db, committed):
    """A lowest-price project published at T0 (announced), bids close at T0 + 4 days."""
    with committed():
        return published_project(now=T0)


@pytest.fixture
def console_regulator(db):
    """A regulator account made the way the product makes them (joins "Regulators")."""
    return accounts.create_regulator(username="console-regulator", password=PASSWORD)


@pytest.fixture
def english(db):
    """A second visitor, who reads the site in English (the `client` fixture reads Chinese)."""
    from django.test import Client

    visitor = Client()
    visitor.cookies["django_language"] = "en"
    return visitor
