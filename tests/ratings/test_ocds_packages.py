"""OCDS release and record packages are paginated by date: `links.next` walks every item once
in (date, id) order, `since` keeps the later ones, bad parameters are a clear 400; and the
backfill writes the releases of changes made before releases were stored."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from ratings.models import OCDSRelease
from ratings.opendata import ocds_schema
from tests.factories.ocds import ocds_market

pytestmark = pytest.mark.django_db
RELEASES, RECORDS = "/api/v1/open-data/ocds/releases/", "/api/v1/open-data/ocds/records/"


@pytest.fixture
def market():
    return ocds_market()


def _walk(api_client, path, key, **params):
    items, url, pages = [], path, 0
    while url:
        package = api_client.get(url, params).json()
        items += package[key]
        url, params, pages = package.get("links", {}).get("next"), {}, pages + 1
    return items, pages


def test_next_links_walk_every_release_once_in_date_order(market, api_client):
    releases, pages = _walk(api_client, RELEASES, "releases", limit=4)
    stored = list(OCDSRelease.objects.order_by("date", "pk").values_list("release_id",
                                                                           flat=True))
    assert [r["id"] for r in releases] == stored
    assert pages == -(-len(stored) // 4)
    dates = [r["date"] for r in releases]
    assert dates == sorted(dates)
    last = api_client.get(RELEASES, {"limit": len(stored)}).json()
    assert "links" not in last and len(last["releases"]) == len(stored)


def test_since_keeps_the_later_releases_and_records(market, api_client):
    completed = OCDSRelease.objects.filter(project=market["completed"]).order_by("date").last()
    later = OCDSRelease.objects.filter(date__gte=completed.date)
    releases, _ = _walk(api_client, RELEASES, "releases", since=completed.date.isoformat(),
                        limit=2)
    assert {r["id"] for r in releases} == set(later.values_list("release_id", flat=True))
    records, _ = _walk(api_client, RECORDS, "records", since=completed.date.isoformat())
    assert {r["ocid"] for r in records} == set(later.values_list("ocid", flat=True))


def test_record_pages_follow_each_projects_latest_release(market, api_client):
    records, pages = _walk(api_client, RECORDS, "records", limit=2)
    assert pages == 4 and len(records) == 7
    dates = [r["compiledRelease"]["date"] for r in records]
    assert dates == sorted(dates)
    package = api_client.get(RECORDS, {"limit": 2}).json()
    assert len(package["packages"]) == 2
    assert package["links"]["next"].startswith("http://testserver" + RECORDS)


@pytest.mark.parametrize(("params", "field"), [
    ({"limit": "0"}, "limit"), ({"limit": "100000"}, "limit"), ({"limit": "many"}, "limit"),
    ({"cursor": "not-a-cursor"}, "cursor"), ({"since": "yesterday"}, "since"),
])
def test_bad_page_parameters_are_a_clear_400(api_client, params, field):
    with translation.override("en"):
        for path in (RELEASES, RECORDS):
            response = api_client.get(path, params, HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 400, response.content
            body = response.json()
            assert body["code"] == "invalid" and field in str(body)
    with translation.override("en"):
        message = api_client.get(RELEASES, {"limit": "0"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert "Give a limit from 1 to 1000." in str(message)


def test_backfill_rebuilds_missing_releases_as_of_their_change(market):
    stored = {r.release_id: (r.tag, r.date) for r in OCDSRelease.objects.all()}
    OCDSRelease.objects.all().delete()
    out = io.StringIO()
    call_command("ocds_releases", "--validate", stdout=out)
    assert f"{len(stored)} releases backfilled" in out.getvalue()
    assert "every release and record is valid" in out.getvalue()
    assert {r.release_id: (r.tag, r.date) for r in OCDSRelease.objects.all()} == stored
    assert all(OCDSRelease.objects.values_list("backfilled", flat=True))
    # As of its change: the tender release of a project opened since carries no bid details.
    tender = OCDSRelease.objects.filter(project=market["completed"]).order_by("date").first()
    assert tender.tag == ["tender"] and "details" not in tender.data["bids"]
    assert tender.data["awards"] == [] and "contracts" not in tender.data
    assert tender.data["tender"]["status"] == "active"
    assert not ocds_schema.validation_errors(tender.data, "release")
    # Idempotent.
    call_command("ocds_releases", stdout=(again := io.StringIO()))
    assert "0 releases backfilled" in again.getvalue()
    assert "tag contractTermination: 2" in again.getvalue()
