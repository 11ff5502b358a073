"""OCDS releases and records (issue 17 §5, issue 15 §2): a stored release per change of a
project, its records compiled with ocdsmerge, every release, record and package valid against
the OCDS 1.1.5 schemas patched with the bids extension, sealed bids never published."""

import json

import pytest
from django.conf import settings

from bidding import services as bidding
from marketplace.audit.models import AuditEntry
from ratings.models import OCDSRelease
from ratings.opendata import ocds_schema
from tests.factories.bidding import open_bids, user_of
from tests.factories.ocds import SEALED_PRICE, ocds_market

pytestmark = pytest.mark.django_db
EXPECTED_TAGS = {
    "amended": [["tender"], ["tenderAmendment"]],
    "cancelled": [["tender"], ["tenderCancellation"]],
    "failed": [["tender"], ["tenderUpdate"], ["tenderUpdate"]],
    "objected": [["tender"], ["tenderUpdate"], ["award"], ["tenderUpdate"],
                 ["awardCancellation"]],
    "completed": [["tender"], ["tenderUpdate"], ["award"], ["awardUpdate"], ["contract"],
                  ["implementation"], ["implementationUpdate"], ["implementationUpdate"],
                  ["implementationUpdate", "contractTermination"]],
    "terminated": [["tender"], ["tenderUpdate"], ["award"], ["awardUpdate"], ["contract"],
                   ["contractTermination"]],
    "lapsed": [["tender"], ["tenderUpdate"], ["award"], ["awardUpdate"], ["contractUpdate"]],
}


@pytest.fixture
def market():
    return ocds_market()


def _assert_valid(data: dict, kind: str) -> None:
    errors = ocds_schema.validation_errors(data, kind)
    assert not errors, "\n".join(errors[:20])


def _all_pages(api_client, path: str, key: str, **params) -> list[dict]:
    pages, url = [], path
    while url:
        response = api_client.get(url, params)
        assert response.status_code == 200, response.content
        pages.append(response.json())
        url, params = pages[-1].get("links", {}).get("next"), {}
        assert len(pages) < 50
    return pages


def test_a_release_per_change_with_its_kind_and_tag(market):
    for name, tags in EXPECTED_TAGS.items():
        releases = OCDSRelease.objects.filter(project=market[name]).order_by("date", "pk")
        assert [r.tag for r in releases] == tags, name
        assert all(r.data["tag"] == r.tag for r in releases)
    kinds = set(OCDSRelease.objects.values_list("kind", flat=True))
    assert kinds == set(OCDSRelease.Kind.values)


def test_release_id_date_and_ocid_come_from_the_change(market, settings):
    release = OCDSRelease.objects.filter(project=market["amended"], kind="amendment").get()
    entry = AuditEntry.objects.get(pk=release.audit_entry_id)
    assert entry.action == "project.amended"
    ocid = f"{settings.OCDS_OCID_PREFIX}-{market['amended'].pk}"
    assert release.data["ocid"] == release.ocid == ocid
    assert release.data["id"] == release.release_id == f"{ocid}-{entry.pk}"
    assert release.date == entry.created_at
    assert release.data["tender"]["amendments"][0]["rationale"] == "更正项目说明"


def test_the_ocid_prefix_is_a_setting(settings):
    settings.OCDS_OCID_PREFIX = "ocds-a1b2c3"
    project = ocds_market()["cancelled"]
    release = OCDSRelease.objects.filter(project=project).first()
    assert release.ocid == f"ocds-a1b2c3-{project.pk}"
    assert release.release_id.startswith(f"ocds-a1b2c3-{project.pk}-")


def test_every_release_record_and_package_validates(market, api_client):
    for release in OCDSRelease.objects.all():
        _assert_valid(release.data, "release")
    for package in _all_pages(api_client, "/api/v1/open-data/ocds/releases/", "releases",
                              limit=7):
        _assert_valid(package, "release-package")
        assert package["extensions"] == [
            "https://raw.githubusercontent.com/open-contracting-extensions/"
            "ocds_bid_extension/v1.1.5/extension.json"]
    for package in _all_pages(api_client, "/api/v1/open-data/ocds/records/", "records",
                              limit=3):
        _assert_valid(package, "record-package")
    for name in EXPECTED_TAGS:
        pk = market[name].pk
        releases = api_client.get(f"/api/v1/open-data/ocds/projects/{pk}/releases/").json()
        _assert_valid(releases, "release-package")
        record = api_client.get(f"/api/v1/open-data/ocds/projects/{pk}/record/").json()
        _assert_valid(record, "record-package")
    snapshot = api_client.get("/api/v1/open-data/ocds/").json()  # the older endpoint still
    _assert_valid(snapshot, "release-package")


def test_the_schema_check_knows_the_bids_extension(market):
    """Guards the guard: the extension's codelist applies (a sealed status fails), and the
    package schema really refers to the patched release schema."""
    release = OCDSRelease.objects.filter(project=market["completed"], kind="award").first()
    data = json.loads(json.dumps(release.data))
    data["bids"]["details"][0]["status"] = "sealed"
    data["bids"]["statistics"][0].pop("measure")
    errors = ocds_schema.validation_errors(data, "release")
    assert any("'sealed' is not one of" in e for e in errors)
    assert any("'measure' is a required property" in e for e in errors)
    package = {"uri": "https://example.org/p", "version": "1.1", "publisher": {"name": "x"},
               "publishedDate": release.data["date"], "releases": [data]}
    assert any("sealed" in e for e in ocds_schema.validation_errors(package, "release-package"))


def test_sealed_bids_never_leak_before_opening(market, api_client):
    project, agency = market["amended"], market["sealed_agency"]
    texts = [
        api_client.get("/api/v1/open-data/ocds/releases/").content.decode(),
        api_client.get("/api/v1/open-data/ocds/records/").content.decode(),
        api_client.get(f"/api/v1/open-data/ocds/projects/{project.pk}/releases/")
        .content.decode(),
        api_client.get(f"/api/v1/open-data/ocds/projects/{project.pk}/record/")
        .content.decode(),
    ]
    for raw in texts:
        text = json.dumps(json.loads(raw), ensure_ascii=False)  # \uXXXX escapes decoded
        assert agency.uscc not in text and agency.name not in text
        assert "76543" not in text
    # How many bids: public at any time (none at publication, one by the amendment).
    for release, count in zip(OCDSRelease.objects.filter(project=project).order_by("pk"),
                              (0, 1), strict=True):
        assert "details" not in release.data["bids"]
        assert release.data["bids"]["statistics"] == [
            {"id": "bids", "measure": "bids", "value": count, "date": release.data["date"]}]
    # Opened: the opening's release has the bid; the earlier ones are unchanged.
    before = {r.pk: r.data for r in OCDSRelease.objects.filter(project=project)}
    open_bids(project)
    opening = OCDSRelease.objects.filter(project=project).order_by("-pk").first()
    assert opening.tag == ["tenderUpdate"]
    (detail,) = opening.data["bids"]["details"]
    assert detail["tenderers"][0]["name"] == agency.name
    assert detail["value"] == {"amount": float(SEALED_PRICE), "currency": "CNY"}
    # Not re-confirmed after the amendment: it does not count.
    assert detail["status"] == "disqualified" and detail["date"]
    assert {r.pk: r.data for r in OCDSRelease.objects.filter(pk__in=before)} == before


def test_bids_details_carry_valid_and_disqualified(market):
    failed = OCDSRelease.objects.filter(project=market["objected"]).order_by("-pk").first()
    statuses = sorted(b["status"] for b in failed.data["bids"]["details"])
    assert statuses == ["disqualified", "valid", "valid"]
    award = failed.data["awards"][0]
    assert award["status"] == "cancelled" and award["relatedBid"] in {
        b["id"] for b in failed.data["bids"]["details"]}


def test_the_record_compiles_the_releases(market, api_client):
    project = market["completed"]
    package = api_client.get(f"/api/v1/open-data/ocds/projects/{project.pk}/record/").json()
    (record,) = package["records"]
    releases = list(OCDSRelease.objects.filter(project=project).order_by("date", "pk"))
    assert [link["url"].rsplit("#", 1)[1] for link in record["releases"]] == [
        r.release_id for r in releases]
    assert package["packages"] == [record["releases"][0]["url"].split("#")[0]]
    compiled = record["compiledRelease"]
    assert compiled["tag"] == ["compiled"] and compiled["ocid"] == releases[0].ocid
    assert compiled["date"] == releases[-1].data["date"]
    (contract,) = compiled["contracts"]
    assert contract["status"] == "terminated"
    assert contract["implementation"]["milestones"][0]["status"] == "met"
    assert compiled["awards"][0]["status"] == "active"
    assert compiled["tender"]["status"] == "complete"


def test_records_need_no_network(market, api_client, monkeypatch):
    """ocdsmerge would download the newest schema; ours is given locally."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("no network at run time")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr("jsonref.load_uri", refuse)
    ocds_schema.merger.cache_clear()
    response = api_client.get("/api/v1/open-data/ocds/records/")
    assert response.status_code == 200 and len(response.json()["records"]) == 7


def test_drafts_and_unknown_projects_have_no_releases(api_client):
    from tests.factories.bidding import ProjectFactory

    draft = ProjectFactory()
    bidding.project_cancel(project=draft, by=user_of(draft.owner), reason="不再需要")
    assert not OCDSRelease.objects.exists()
    for pk in (draft.pk, draft.pk + 1000):
        for tail in ("releases", "record"):
            response = api_client.get(f"/api/v1/open-data/ocds/projects/{pk}/{tail}/")
            assert response.status_code == 404


def test_settings_default_prefix_is_a_local_placeholder():
    assert settings.OCDS_OCID_PREFIX == "ocds-local"
