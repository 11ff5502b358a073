"""Bid attachments and objection evidence: checked before anything is written, sealed into the
receipt by their SHA-256, listed and downloadable only as the bid (or objection) is visible."""

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import translation

from bidding import receipts, services
from bidding.models import Bid, BidAttachment, ObjectionAttachment
from marketplace.errors import DomainError
from tests.bidding.conftest import api_as
from tests.conftest import client_for
from tests.factories.accounts import RegulatorFactory, member_of
from tests.factories.bidding import T0, agency_offering, as_its_agency, bid, open_bids, user_of
from tests.factories.files import pdf, png, program

pytestmark = pytest.mark.django_db
DURING = T0 + dt.timedelta(days=1)


def sha(upload) -> str:
    upload.seek(0)
    digest = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    return digest


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT).parent / "private"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def page_client(organization=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if organization is not None:
        client.force_login(user_of(organization))
    return client


@pytest.fixture
def agency():
    return agency_offering()


def test_attachments_are_stored_and_sealed_into_the_receipt(project, agency):
    files = [pdf("方案.pdf", b"one"), png("scan.png", b"two")]
    hashes = sorted(sha(f) for f in files)
    offer = bid(project, agency, files=files, now=DURING)
    assert sorted(offer.attachments.values_list("sha256", flat=True)) == hashes
    assert offer.attachment_hashes == hashes
    assert json.loads(receipts.canonical_of_bid(offer))["attachments"] == hashes
    assert receipts.verify_bid_receipt(offer)
    names = set(offer.attachments.values_list("original_name", flat=True))
    assert names == {"方案.pdf", "scan.png"}
    assert len(stored_files()) == 2
    # A different file would have given a different receipt.
    assert not receipts.verify_receipt(
        receipt=offer.receipt, salt=offer.salt, project_id=project.pk, agency_id=agency.pk,
        price=offer.price, promised_days=offer.promised_days, proposal=offer.proposal,
        sealed_at=offer.sealed_at, attachments=[hashes[0]])


@pytest.mark.parametrize("bad, message", [
    (program(), "This file type is not accepted"),
    (pdf("proposal.png"), "but the file is a PDF file"),
])
def test_one_bad_file_refuses_the_bid_and_nothing_is_stored(project, agency, bad, message):
    response = api_as(agency).post(
        f"/api/v1/projects/{project.pk}/bids/",
        {"price": "80000.00", "promised_days": 20, "proposal": "方案", "files": [pdf(), bad]},
        format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in json.dumps(response.json(), ensure_ascii=False)
    assert not Bid.objects.exists() and not BidAttachment.objects.exists()
    assert stored_files() == []


def test_an_empty_or_oversized_file_is_refused(project, agency, settings):
    settings.MARKETPLACE_MAX_UPLOAD_BYTES = 50
    # In English on purpose (it used to be English only when the test before left it active).
    with translation.override("en"), pytest.raises(DomainError) as refused:
        bid(project, agency, files=[pdf(body=b"x" * 100)], now=DURING)
    assert "too large" in str(refused.value)
    assert not Bid.objects.exists() and stored_files() == []


def test_the_api_takes_multipart_files_and_lists_attachments_to_the_bidder(project, agency):
    upload = pdf("报价说明.pdf")
    digest = sha(upload)
    with time_machine.travel(DURING, tick=False):
        response = api_as(agency).post(
            f"/api/v1/projects/{project.pk}/bids/",
            {"price": "80000.00", "promised_days": 20, "files": [upload]}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    [listed] = body["attachments"]
    assert listed["name"] == "报价说明.pdf" and listed["sha256"] == digest
    assert listed["size"] == upload.size
    assert digest in body["canonical"]
    download = api_as(agency).get(listed["url"])  # the token works on the download link
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_revision_keeps_removes_and_adds_files_with_a_new_receipt(
        project, agency, django_capture_on_commit_callbacks):
    keep, drop = pdf("keep.pdf", b"keep"), pdf("drop.pdf", b"drop")
    offer = bid(project, agency, files=[keep, drop], now=DURING)
    old_receipt = offer.receipt
    drop_row = offer.attachments.get(original_name="drop.pdf")
    added = png("new.png", b"new")
    with (time_machine.travel(DURING + dt.timedelta(hours=1), tick=False),
          django_capture_on_commit_callbacks(execute=True)):
        response = api_as(agency).patch(
            f"/api/v1/bids/{offer.pk}/",
            {"files": [added], "remove_attachments": [drop_row.pk]}, format="multipart")
    assert response.status_code == 200, response.content
    as_its_agency(offer)
    assert sorted(a["name"] for a in response.json()["attachments"]) == ["keep.pdf", "new.png"]
    assert offer.attachment_hashes == sorted([sha(keep), sha(added)])
    assert offer.receipt != old_receipt and receipts.verify_bid_receipt(offer)
    assert len(stored_files()) == 2  # the dropped file is gone from storage too


def test_a_revision_without_files_keeps_them(project, agency):
    offer = bid(project, agency, files=[pdf()], now=DURING)
    revised = services.bid_revise(bid=offer, by=user_of(agency), price="70000.00",
                                  now=DURING + dt.timedelta(hours=1))
    assert revised.attachments.count() == 1 and revised.attachment_hashes == offer.attachment_hashes


def test_a_bad_file_in_a_revision_changes_nothing(project, agency):
    offer = bid(project, agency, files=[pdf()], now=DURING)
    before = (offer.receipt, offer.price, offer.attachment_hashes)
    with pytest.raises(DomainError) as refused:
        services.bid_revise(bid=offer, by=user_of(agency), price="1000.00",
                            files=[program()], remove_attachments=[offer.attachments.get().pk],
                            now=DURING + dt.timedelta(hours=1))
    assert refused.value.code == "upload.type_not_accepted"
    as_its_agency(offer)
    assert (offer.receipt, offer.price, offer.attachment_hashes) == before
    assert offer.attachments.count() == 1 and len(stored_files()) == 1


def test_removing_another_bids_attachment_is_refused(project, agency):
    other = bid(project, agency_offering(), files=[pdf()], now=DURING)
    offer = bid(project, agency, now=DURING)
    with time_machine.travel(DURING + dt.timedelta(hours=1), tick=False):
        response = api_as(agency).patch(
            f"/api/v1/bids/{offer.pk}/",
            {"remove_attachments": [other.attachments.get().pk]}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert other.attachments.count() == 1


@pytest.fixture
def sealed(project, agency):
    offer = bid(project, agency, files=[pdf("SECRET-NAME.pdf", b"SECRET-CONTENT")],
                now=DURING)
    for _ in range(2):
        bid(project, agency_offering(), now=DURING)
    return offer


def viewers(project, agency):
    regulator = RegulatorFactory()
    return {"anonymous": None, "owner": project.owner, "other_agency": agency_offering(),
            "regulator": regulator}


def test_before_opening_only_the_bidder_downloads_an_attachment(project, agency, sealed):
    attachment = sealed.attachments.get()
    url = f"/files/bids/{attachment.pk}/"
    assert page_client(agency).get(url).status_code == 200
    for organization in viewers(project, agency).values():
        assert page_client(organization).get(url).status_code == 404
        if organization is not None:
            token = client_for(user_of(organization))
            assert token.get(url).status_code == 404
    assert page_client().get("/files/bids/999999/").status_code == 404


def test_after_opening_attachments_are_read_like_the_proposal(project, agency, sealed):
    # The owner and regulators read the proposal and its files; other agencies and the public
    # see the bid's price and rank, not its content.
    open_bids(project)
    attachment = sealed.attachments.get()
    url = f"/files/bids/{attachment.pk}/"
    everyone = viewers(project, agency)
    for role in ("owner", "regulator"):
        response = page_client(everyone[role]).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Cache-Control"] == "private, no-store"
    for role in ("anonymous", "other_agency"):
        assert page_client(everyone[role]).get(url).status_code == 404
    listed = api_as(project.owner).get(f"/api/v1/bids/{sealed.pk}/").json()["attachments"]
    assert [a["sha256"] for a in listed] == [attachment.sha256]
    public = api_as(everyone["other_agency"]).get(f"/api/v1/bids/{sealed.pk}/").json()
    assert "attachments" not in public


def test_a_withdrawn_bids_attachments_stay_hidden_after_opening(project, agency, sealed):
    services.bid_withdraw(bid=sealed, by=user_of(agency), now=DURING + dt.timedelta(hours=1))
    bid(project, agency_offering(), now=DURING)
    open_bids(project)
    url = f"/files/bids/{sealed.attachments.get().pk}/"
    assert page_client(project.owner).get(url).status_code == 404
    assert page_client(agency).get(url).status_code == 200


# --- Objection evidence ---------------------------------------------------------------------


@pytest.fixture
def publicity(project, agencies):
    offers = [bid(project, a, p) for a, p in zip(
        agencies[:3], ["90000", "80000", "85000"], strict=True)]
    project = open_bids(project)
    now = project.bid_deadline + dt.timedelta(hours=1)
    project = services.project_award(project=project, by=user_of(project.owner), now=now)
    with time_machine.travel(now + dt.timedelta(hours=1), tick=False):
        yield {"project": project, "offers": offers, "agencies": agencies}


def test_objection_evidence_is_readable_by_whoever_reads_the_objection(publicity):
    project, agencies = publicity["project"], publicity["agencies"]
    evidence = png("证据.png", b"evidence")
    response = api_as(agencies[0]).post(
        f"/api/v1/projects/{project.pk}/objections/",
        {"reason": "中选单位资质造假", "files": [evidence]}, format="multipart")
    assert response.status_code == 201, response.content
    [listed] = response.json()["attachments"]
    assert listed["sha256"] == sha(evidence) and listed["name"] == "证据.png"
    url = f"/files/objections/{ObjectionAttachment.objects.get().pk}/"
    for reader in (agencies[0], agencies[1], project.owner, RegulatorFactory()):
        assert page_client(reader).get(url).status_code == 200
    for outsider in (None, agencies[3], agency_offering()):
        assert page_client(outsider).get(url).status_code == 404


def test_a_bad_evidence_file_refuses_the_objection(publicity):
    project, agencies = publicity["project"], publicity["agencies"]
    response = api_as(agencies[0]).post(
        f"/api/v1/projects/{project.pk}/objections/",
        {"reason": "理由", "files": [png(), program()]}, format="multipart",
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["code"] == "upload.type_not_accepted"
    assert "This file type is not accepted" in json.dumps(response.json())
    assert not project.objections.exists() and not ObjectionAttachment.objects.exists()
    assert stored_files() == []


def test_the_api_lists_objection_evidence_to_regulators(publicity):
    project, agencies = publicity["project"], publicity["agencies"]
    services.objection_file(project=project, by=user_of(agencies[0]), reason="理由",
                            files=[pdf()])
    regulator = client_for(member_of(RegulatorFactory()))
    listed = regulator.get(f"/api/v1/projects/{project.pk}/objections/").json()["results"]
    assert len(listed[0]["attachments"]) == 1


def test_more_than_ten_attachments_are_refused(project, agency):
    offer = bid(project, agency, files=[pdf(f"{n}.pdf", bytes([n])) for n in range(10)],
                now=DURING)
    with pytest.raises(DomainError) as refused:
        services.bid_revise(bid=offer, by=user_of(agency), files=[pdf("11.pdf")],
                            now=DURING + dt.timedelta(hours=1))
    assert refused.value.field == "files"
    assert offer.attachments.count() == 10 and len(stored_files()) == 10
