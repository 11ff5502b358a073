import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from marketplace.accounts.services import api_token_issue
from tests.factories.accounts import (
    AgencyFactory,
    OwnerFactory,
    RegulatorFactory,
    log_in_verified,
    member_of,
)

POSTGRES_ONLY_REASON = (
    "needs PostgreSQL row locks and real concurrency; runs in the PostgreSQL half of `make test`"
)


def pytest_collection_modifyitems(config, items):
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction"):
            # A transactional test flushes every table, including the reference data that
            # migrations load (regions, service items, the Wagtail home page): restore it after.
            item.add_marker(
                pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}),
                append=False,
            )
        if "postgres_only" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason=POSTGRES_ONLY_REASON))


DEMO_CA_PASSPHRASE = "test-ca-passphrase"


@pytest.fixture(scope="session")
def demo_ca_dir(tmp_path_factory):
    """One demo certificate authority for the session, in a temporary directory (never the
    local var/pki)."""
    import datetime as dt

    from marketplace.pki.demo import init_ca

    # Valid from long before the fixed times the tests sign at (tests.factories.bidding.T0).
    return init_ca(tmp_path_factory.mktemp("pki"), DEMO_CA_PASSPHRASE,
                   now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))


@pytest.fixture(autouse=True)
def _fresh_market_figures():
    """The public market figures are cached across requests in the process's cache (issue 14
    §1); each test starts a new generation, so none reads another test's market."""
    from bidding.selectors_market import MARKET_FIGURES

    MARKET_FIGURES.renew()


@pytest.fixture(autouse=True)
def _fresh_search_results():
    """Search results are cached per query until that index is written to; each test's
    database is rolled back under the cache, so each test starts a new generation."""
    from marketplace.search.services import RESULTS

    RESULTS.renew()


@pytest.fixture(autouse=True)
def _fresh_catalog_lists():
    """The list pages' catalog selects are kept until the catalog changes; a test's catalog
    rows are rolled back under the cache, so each test starts a new generation."""
    from marketplace.catalog.kept import CATALOG

    CATALOG.renew()


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path, demo_ca_dir):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PKI_CA_DIR = demo_ca_dir
    settings.PKI_CA_PASSPHRASE = DEMO_CA_PASSPHRASE
    settings.PKI_CA_AUTO_INIT = False
    # The production hasher is slow on purpose; tests only need passwords to check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from marketplace.celery import app

    app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English leaves English active in the thread (LocaleMiddleware does not
    deactivate it), and the next test on that worker would read its messages in English."""
    yield
    translation.deactivate()


@pytest.fixture
def api_client():
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    _token, key = api_token_issue(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's `admin_client`, its session verified by the second factor (Django's
    admin and the console need it for a superuser)."""
    from django.test import Client

    return log_in_verified(Client(), admin_user)


@pytest.fixture
def agency(db):
    return AgencyFactory()


@pytest.fixture
def agency_admin(agency):
    return member_of(agency)


@pytest.fixture
def owner(db):
    return OwnerFactory()


@pytest.fixture
def owner_admin(owner):
    return member_of(owner)


@pytest.fixture
def regulator(db):
    return RegulatorFactory()


@pytest.fixture
def regulator_user(regulator):
    return member_of(regulator)


# --- The browser journeys' summary line (tests/e2e) ------------------------------------------
# Kept here, in the conftest every pytest-xdist controller loads, and fed from the tests'
# reports, which travel from the workers.
PAGES_SEEN: list[int] = []
DISTINCT_PAGES: set[str] = set()
BROWSER_MISSING: list[str] = []


def pytest_runtest_logreport(report):
    for name, value in report.user_properties:
        if name == "pages_checked" and report.when == "teardown":
            PAGES_SEEN.append(value)
        if name == "distinct_pages" and report.when == "teardown":
            DISTINCT_PAGES.update(value)
    if report.skipped and "Chromium was not found" in str(report.longrepr):
        BROWSER_MISSING.append(report.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if BROWSER_MISSING:
        terminalreporter.write_line(
            "BROWSER HALF DID NOT RUN: Chromium was not found on the PATH (Debian package "
            f"`chromium`); {len(BROWSER_MISSING)} browser tests skipped.", yellow=True)
    elif PAGES_SEEN:
        terminalreporter.write_line(
            f"Browser journeys: {len(PAGES_SEEN)} tests, {sum(PAGES_SEEN)} page views of "
            f"{len(DISTINCT_PAGES)} distinct pages checked "
            "(overflow and squeeze at 1366 and 390 px, language, raw keys, outside requests, "
            "console errors, axe-core).")
    _schema_fuzz_summary(terminalreporter)
    _permission_matrix_summary(terminalreporter)


def _schema_fuzz_summary(terminalreporter):
    """One line for the schema fuzzing (test_schema_fuzz.py): generated cases and their answers,
    summed over the xdist workers from each test's recorded property."""
    totals = {}
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", ()):
                if name == "schema_fuzz" and report.when == "call":
                    for key, count in value.items():
                        totals[key] = totals.get(key, 0) + count
    if totals:
        terminalreporter.write_line(
            "schema fuzzing: {cases} cases, {2xx} 2xx, {3xx} 3xx, {4xx} 4xx, {5xx} 5xx".format(
                **totals))


def _permission_matrix_summary(terminalreporter):
    """One line for the permission matrix (tests/kernel/test_permission_matrix.py): requests
    made, routes and roles covered, answers by outcome class, summed over the xdist workers."""
    totals, routes, requests = {}, set(), 0
    for outcome in ("passed", "failed", "xfailed", "xpassed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", ()):
                if name == "permission_matrix" and report.when == "call":
                    routes.add(value["route"])
                    requests += 1
                    totals[value["outcome"]] = totals.get(value["outcome"], 0) + 1
    if requests:
        by_class = ", ".join(f"{count} {key}" for key, count in sorted(totals.items()))
        terminalreporter.write_line(
            f"permission matrix: {len(routes)} routes and groups, 7 roles, {requests} requests "
            f"({by_class})")
