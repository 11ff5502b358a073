"""The bid submission's cost stays near its floor (issue 14 §1): a bounded number of queries,
each thing it needs read once (who acts, the agency's service, the project's seal key), and
no more queries when the project already has many bids."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bidding import sealing, services
from bidding.models import Bid
from marketplace.errors import NotAllowed
from tests.bidding.conftest import api_as
from tests.factories.bidding import agency_offering, bid, published_project, user_of

# Token, membership, visibility; under the lock: the project with its seal key, the agency's
# standing with its live bid and exclusion, its service, the required qualifications (none on
# PostgreSQL, where the lock says there are none), insert, seal update; the audit append: the
# agency's sealed stream on this project is new (a miss, its head inserted, read locked),
# entry, head. The response's attachments are the ones just stored. A savepoint pair where
# the test's transaction wraps the request.
MAX_QUERIES = 16


def _submit_queries(project, agency) -> list[str]:
    client = api_as(agency)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(f"/api/v1/projects/{project.pk}/bids/",
                               {"price": "80000.00", "promised_days": 20,
                                "proposal": "技术方案与进度安排"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["price"] == "80000.00"  # the agency's own bid, revealed to it
    return [query["sql"] for query in captured.captured_queries]


def _reading(queries: list[str], table: str) -> int:
    """How many SELECTs read `table` for themselves: their first column is one of its, or they
    ask whether it has a row. A subquery in another table's columns does not count."""
    own = re.compile(rf'^SELECT (DISTINCT )?("{table}"\.|1 AS "a" FROM "{table}")')
    return sum(1 for sql in queries if own.match(sql.lstrip()))


@pytest.fixture
def open_project(db):
    """Open for bids, with one bid in already (so its seal key exists: the first bid of a
    project also creates it, once). Each agency's first bid opens its own sealed audit stream
    on the project (`audit.stream_of`), as every first bid does."""
    now = timezone.now()
    project = published_project(now=now, bid_deadline=now + dt.timedelta(days=10))
    bid(project, agency_offering(), now=now)
    return project


@pytest.mark.django_db
def test_a_submission_reads_each_thing_once_in_a_bounded_number_of_queries(open_project):
    queries = _submit_queries(open_project, agency_offering())
    assert len(queries) <= MAX_QUERIES, "\n".join(queries)
    assert _reading(queries, "accounts_membership") == 1, "who acts: read once per request"
    assert _reading(queries, "providers_agencyservice") == 1
    assert _reading(queries, "bidding_projectsealkey") == 0, "read with the project's lock"
    assert sum('JOIN "bidding_projectsealkey"' in sql for sql in queries) == 1
    assert _reading(queries, "bidding_bidattachment") == 0, "the response's: none stored"
    assert _reading(queries, "bidding_exclusion") == 0, "read with the agency's standing"
    assert _reading(queries, "bidding_bid") == 0, "its live bid: read with its standing"
    assert _reading(queries, "catalog_serviceitem") == 0
    assert Bid.objects.filter(project=open_project).count() == 2


@pytest.mark.django_db
def test_the_submission_does_not_read_more_when_the_project_has_many_bids(open_project):
    agencies = [agency_offering() for _ in range(7)]
    with_one = len(_submit_queries(open_project, agencies[0]))
    for agency in agencies[1:6]:
        bid(open_project, agency, now=timezone.now())
    with_seven = len(_submit_queries(open_project, agencies[6]))
    assert with_one == with_seven


@pytest.mark.django_db
def test_an_agency_passed_down_must_be_the_one_the_user_acts_for(open_project):
    """The view passes the agency it read; the service holds it to `by` under the lock."""
    mine, other = agency_offering(), agency_offering()
    with pytest.raises(NotAllowed):
        services.bid_submit(project=open_project.pk, by=user_of(mine), agency=other,
                            price="80000.00", promised_days=20, now=timezone.now())
    assert not Bid.objects.filter(project=open_project, agency__in=[mine, other]).exists()


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_on_postgresql_a_new_bid_is_sealed_first_and_written_once(open_project):
    """Its id, part of the sealed contents' associated data, comes from the sequence with the
    agency's standing: one INSERT, no UPDATE, and the row holds no plaintext."""
    agency = agency_offering()
    queries = _submit_queries(open_project, agency)
    writes = [sql for sql in queries if re.match(r'^(INSERT INTO|UPDATE) "bidding_bid"', sql)]
    assert len(writes) == 1 and writes[0].startswith("INSERT"), writes
    stored = Bid.objects.get(project=open_project, agency=agency)
    assert (stored.price, stored.proposal) == (None, "")
    # Sealed under its own id: a fresh read decrypts it for its agency (the AAD would not match
    # under another id), and the next bid's id follows without a clash.
    assert sealing.sealed_contents_for_bidder(stored, agency).price == Decimal("80000.00")
    another = agency_offering()
    _submit_queries(open_project, another)
    assert Bid.objects.get(project=open_project, agency=another).pk > stored.pk
