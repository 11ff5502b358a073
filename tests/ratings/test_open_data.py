"""Open data: the OCDS 1.1 release package validates against the official 1.1.5 schemas
(resolved locally, no network) and never carries sealed bid data; the credit CSV and JSON."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.conf import settings

from bidding import services as bidding
from marketplace.accounts.models import Organization
from ratings.opendata import ocds_schema
from tests.factories.accounts import AgencyFactory, GovernmentOwnerFactory, OwnerFactory
from tests.factories.bidding import (
    T0,
    agency_offering,
    bid,
    open_bids,
    published_project,
    user_of,
)
from tests.factories.contracts import active_contract

pytestmark = pytest.mark.django_db
SEALED_PRICE = "76543.21"


def _validate(package: dict) -> None:
    errors = ocds_schema.validation_errors(package, "release-package")
    assert not errors, "\n".join(errors[:20])


@pytest.fixture
def market():
    """A project still bidding with a sealed bid, an opened one, a cancelled one and one with an
    active contract."""
    sealed_agency = agency_offering(name="密封投标咨询有限公司")
    bidding_project = published_project(owner=GovernmentOwnerFactory(), min_bidders=1)
    bid(bidding_project, sealed_agency, SEALED_PRICE)

    opened = published_project(min_bidders=1)
    for price in ("81000.00", "82000.00"):
        bid(opened, agency_offering(), price)
    opened = open_bids(opened)

    cancelled = published_project()
    bidding.project_cancel(project=cancelled, by=user_of(cancelled.owner), reason="需求变更",
                           now=T0 + dt.timedelta(hours=2))
    contract = active_contract()
    return {"bidding": bidding_project, "sealed_agency": sealed_agency, "opened": opened,
            "cancelled": cancelled, "contract": contract}


def _release(package, project):
    ocid = f"{settings.OCDS_OCID_PREFIX}-{project.pk}"
    return next(r for r in package["releases"] if r["ocid"] == ocid)


def test_ocds_package_validates_against_the_official_schema(market, api_client):
    response = api_client.get("/api/v1/open-data/ocds/")
    assert response.status_code == 200
    package = response.json()
    _validate(package)
    assert package["version"] == "1.1"
    assert len(package["releases"]) == 4


def test_project_still_bidding_carries_no_sealed_bid_data(market, api_client):
    package = api_client.get("/api/v1/open-data/ocds/").json()
    release = _release(package, market["bidding"])
    text = json.dumps(release, ensure_ascii=False)
    agency = market["sealed_agency"]
    assert agency.name not in text and agency.uscc not in text
    assert SEALED_PRICE not in text and "76543" not in text
    assert "details" not in release["bids"] and "numberOfTenderers" not in release["tender"]
    assert release["bids"]["statistics"][0]["value"] == 1  # how many: public at any time
    assert release["tag"] == ["tender"]
    # Nowhere in the whole package either.
    whole = json.dumps(package, ensure_ascii=False)
    assert agency.uscc not in whole and "76543" not in whole


def test_opened_project_publishes_its_bids(market, api_client):
    package = api_client.get("/api/v1/open-data/ocds/").json()
    release = _release(package, market["opened"])
    amounts = sorted(b["value"]["amount"] for b in release["bids"]["details"])
    assert amounts == [81000.0, 82000.0]
    assert release["tender"]["numberOfTenderers"] == 2
    tenderers = [p for p in release["parties"] if "tenderer" in p["roles"]]
    assert len(tenderers) == 2
    assert all(p["identifier"]["scheme"] == "CN-SAIC" and len(p["identifier"]["id"]) == 18
               for p in release["parties"])


def test_contract_release_has_award_contract_and_signatures(market, api_client):
    contract = market["contract"]
    package = api_client.get("/api/v1/open-data/ocds/").json()
    release = _release(package, contract.project)
    assert release["tag"] == ["award", "contract"]
    assert release["awards"][0]["status"] == "active"
    data = release["contracts"][0]
    assert data["id"] == str(contract.pk) and data["awardID"] == str(contract.award_id)
    assert data["status"] == "active"
    assert Decimal(str(data["value"]["amount"])) == contract.price
    assert len(data["signatures"]) == 2 and data["dateSigned"]
    supplier = next(p for p in release["parties"] if "supplier" in p["roles"])
    assert supplier["identifier"]["id"] == contract.agency.uscc


def test_cancelled_project_is_tagged_as_a_cancellation(market, api_client):
    package = api_client.get("/api/v1/open-data/ocds/").json()
    release = _release(package, market["cancelled"])
    assert release["tag"] == ["tenderCancellation"]
    assert release["tender"]["status"] == "cancelled"


def test_since_filter_and_bad_since(market, api_client):
    later = market["contract"].activated_at
    response = api_client.get("/api/v1/open-data/ocds/", {"since": later.isoformat()})
    ocids = {r["ocid"] for r in response.json()["releases"]}
    assert ocids == {f"{settings.OCDS_OCID_PREFIX}-{market['contract'].project_id}"}
    _validate(response.json())
    refusal = api_client.get("/api/v1/open-data/ocds/", {"since": "yesterday"})
    assert (refusal.status_code, refusal.json()["code"]) == (400, "invalid")
    answer = api_client.get("/api/v1/open-data/ocds/",
                            {"since": "2026-03-01T00:00:00"})
    assert (answer.status_code, answer.json()["code"]) == (400, "invalid")


def test_drafts_are_not_published(api_client):
    from tests.factories.bidding import ProjectFactory

    ProjectFactory()
    assert api_client.get("/api/v1/open-data/ocds/").json()["releases"] == []


# --- Credit ------------------------------------------------------------------------------------


def test_credit_csv_has_bom_header_and_one_row_per_agency_and_owner(api_client):
    from tests.factories.accounts import RegulatorFactory

    agency = AgencyFactory(credit_score=Decimal("91.50"), credit_grade="A")
    owner = OwnerFactory()
    listed = AgencyFactory(blacklisted_until=dt.datetime.now(dt.UTC) + dt.timedelta(days=30))
    RegulatorFactory()
    response = api_client.get("/api/v1/open-data/credit.csv", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["id", "name", "uscc", "kind", "score", "grade", "blacklisted",
                       "blacklisted_until", "status"]
    by_uscc = {row[2]: row for row in rows[1:]}
    assert set(by_uscc) == {agency.uscc, owner.uscc, listed.uscc}
    assert by_uscc[agency.uscc][1] == agency.name
    assert by_uscc[agency.uscc][3:7] == ["agency", "91.50", "A", "false"]
    assert by_uscc[owner.uscc][3] == "owner"
    assert by_uscc[listed.uscc][6] == "true"


def test_credit_json_matches_the_csv(api_client):
    agency = AgencyFactory()
    response = api_client.get("/api/v1/open-data/credit.json")
    data = json.loads(b"".join(response.streaming_content))
    assert data == [{"id": agency.pk, "name": agency.name, "uscc": agency.uscc,
                     "kind": "agency", "score": str(agency.credit_score), "grade": "B",
                     "blacklisted": False, "blacklisted_until": None, "status": "active"}]
    assert Organization.objects.count() == 1


def test_open_data_page_describes_the_datasets(client):
    client.cookies["django_language"] = "en"
    page = client.get("/open-data/").content.decode()
    assert "/api/v1/open-data/ocds/" in page and "/api/v1/open-data/credit.csv" in page
    assert "creativecommons.org/licenses/by/4.0" in page


def test_the_schema_check_itself_rejects_a_broken_release(market, api_client):
    """Guards the guard: the local schemas are really applied (a wrong tag must fail)."""
    package = api_client.get("/api/v1/open-data/ocds/").json()
    package["releases"][0]["tag"] = ["sealedBid"]
    del package["releases"][1]["initiationType"]
    messages = ocds_schema.validation_errors(package, "release-package")
    assert any("sealedBid" in m for m in messages)
    assert any("initiationType" in m for m in messages)
