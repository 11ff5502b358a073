import pytest

from tests.factories.ratings import regulator_user


@pytest.fixture(autouse=True, scope="session")
def _celery_tasks_registered():
    from marketplace.celery import app

    app.loader.import_default_modules()


@pytest.fixture
def reg_user(db):
    """A regulator's user."""
    return regulator_user()
