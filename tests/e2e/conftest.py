"""Browser journeys: Debian's Chromium driven by Playwright against the live test server.

The browser is the system one found on the PATH (`chromium`, from Debian's package); Playwright's
own browser download cannot work on these machines. Without it the journeys are skipped on a
developer machine (one line in the summary says so) and fail under `CI=true`.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings as django_settings

from tests.e2e.tour import TourGuide

# Playwright's sync API keeps an event loop on the test thread, which Django's async-safety
# guard mistakes for async code calling the ORM; the tests' own ORM calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium")
ON_POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
IN_CI = os.environ.get("CI") == "true"
NO_BROWSER = ("Chromium was not found on the PATH (Debian package `chromium`): "
              "the browser journeys did not run")
SQLITE_ONLY = ("browser journeys run in the SQLite half of `make test`; the journeys marked "
               "both_databases also run here")
BROWSER_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    # Chromium's own calls home are refused by this machine's closed network, noisily.
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" not in str(item.fspath):
            continue
        item.add_marker(pytest.mark.browser)
        if ON_POSTGRES and "both_databases" not in item.keywords:
            item.add_marker(pytest.mark.skip(reason=SQLITE_ONLY))


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if IN_CI:
            pytest.fail(f"{NO_BROWSER} (CI=true: a missing browser is a failure)")
        pytest.skip(NO_BROWSER)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Starting Playwright gives this thread an event loop, and from then on asgiref hands the
    # thread fresh database connection objects: the test database's own (which carries the
    # serialized reference data that transactional tests restore) would be lost.
    kept = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in kept.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _short_periods(settings):
    """Periods short enough for a journey to run in seconds; deadlines move with the clock."""
    settings.MARKETPLACE_MIN_BIDDING_PERIOD = "1h"
    settings.MARKETPLACE_PUBLICITY_PERIOD = "2h"
    settings.MARKETPLACE_SIGNING_PERIOD = "1d"
    settings.MARKETPLACE_RATING_PERIOD = "1d"
    settings.MARKETPLACE_REPLY_PERIOD = "1d"


@pytest.fixture
def guide(browser, live_server, request):
    """Open tours with `guide.open(who, language)`; every check they ran must pass."""
    tour_guide = TourGuide(browser, live_server.url, request.node.nodeid.split("::", 1)[-1])
    yield tour_guide
    problems = tour_guide.problems()
    # Reported through the test's report so that the count survives pytest-xdist's workers.
    request.node.user_properties.append(("pages_checked", tour_guide.pages_checked()))
    request.node.user_properties.append(("distinct_pages", tour_guide.distinct_pages()))
    tour_guide.close()
    if problems:
        pytest.fail(f"{len(problems)} problems seen in the browser:\n" + "\n".join(problems),
                    pytrace=False)
