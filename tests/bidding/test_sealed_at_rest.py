"""Sealed at rest (issue 13 §2): before opening a database dump or the stored files reveal no
price, rate, proposal or attachment; the opening decrypts; only the bidding agency reads its own
bid before; receipts verify before and after; keys rotate; a bad key refuses the opening whole."""

import base64
import datetime as dt
import hashlib
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils import translation

from bidding import receipts, sealing, services
from bidding.models import Bid, BidAttachment, Project, ProjectSealKey
from marketplace import sealing as envelope
from marketplace.audit.models import AuditEntry
from marketplace.errors import NotAllowed
from tests.bidding.conftest import api_as
from tests.factories.accounts import RegulatorFactory, member_of
from tests.factories.bidding import (
    T0,
    agency_offering,
    as_its_agency,
    bid,
    open_bids,
    published_project,
    user_of,
)
from tests.factories.files import pdf

pytestmark = pytest.mark.django_db
DURING = T0 + dt.timedelta(days=1)
PRICE = "87654.32"
PHRASE = "独家夜间无人机测绘方案ZEBRA"
SECRET_FILE = b"ATTACHMENT-SECRET-CONTENT-QUOKKA"
KEK_A = base64.b64encode(b"a" * 32).decode()
KEK_B = base64.b64encode(b"b" * 32).decode()
# Long hex or base64 runs (receipts, salts, hashes, blobs) may hold any digits by chance.
OPAQUE = re.compile(r"[A-Za-z0-9+/=]{40,}")


def raw_dump() -> str:
    """Every row of every table, read with raw SQL (what a backup holds)."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows.extend(repr(row) for row in cursor.fetchall())
    return OPAQUE.sub(" ", "\n".join(rows))


def dumpdata() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return OPAQUE.sub(" ", out.getvalue())


class FakeKms(envelope.KeyEncryptionKeys):
    """A KMS as `BID_SEAL_KMS` plugs one in: its own key ids, wrap and unwrap."""

    current_id = "kms-key-1"

    def __init__(self):
        self.local = envelope.LocalKeys({self.current_id: b"k" * 32}, self.current_id)

    def wrap(self, data_key):
        return self.local.wrap(data_key)

    def unwrap(self, kek_id, wrapped):
        return self.local.unwrap(kek_id, wrapped)


def stored_bytes(attachment: BidAttachment) -> bytes:
    with attachment.file.open("rb") as stored:
        return stored.read()


@pytest.fixture
def agency():
    return agency_offering()


@pytest.fixture
def sealed_offer(project, agency):
    return bid(project, agency, PRICE, proposal=f"本项目采用{PHRASE}。",
               files=[pdf("报价.pdf", SECRET_FILE)], now=DURING)


def test_a_submitted_bid_keeps_price_and_proposal_only_in_the_sealed_blob(sealed_offer):
    row = Bid.objects.values("price", "discount_rate", "proposal", "sealed_contents").get(
        pk=sealed_offer.pk)
    assert row["price"] is None and row["discount_rate"] is None and row["proposal"] == ""
    blob = base64.b64decode(row["sealed_contents"])
    assert PHRASE.encode() not in blob and PRICE.encode() not in blob
    assert sealed_offer.price == Decimal(PRICE)  # the agency's own result keeps it in memory


def test_a_discount_rate_bid_is_sealed_too(agency):
    project = published_project(quote_format=Project.QuoteFormat.DISCOUNT_RATE,
                                discount_rate_min=Decimal("5"), discount_rate_max=Decimal("30"))
    offer = bid(project, agency, None, discount_rate=Decimal("12.5"), now=DURING)
    row = Bid.objects.values("price", "discount_rate").get(pk=offer.pk)
    assert row == {"price": None, "discount_rate": None}
    open_bids(project)
    offer.refresh_from_db()
    assert (offer.discount_rate, offer.price) == (Decimal("12.50"), Decimal("87500.00"))


def test_a_dump_before_opening_reveals_no_price_proposal_or_attachment(sealed_offer, agency):
    services.bid_revise(bid=sealed_offer, by=user_of(agency), price=Decimal("87654.31"),
                        now=DURING + dt.timedelta(hours=1))
    for dump in (raw_dump(), dumpdata()):
        for secret in ("87654.32", "87654.31", "87654", "87,654", PHRASE,
                       SECRET_FILE.decode()):
            assert secret not in dump, secret


def test_the_attachment_file_on_disk_is_ciphertext_and_its_agency_downloads_the_plaintext(
        sealed_offer, agency):
    attachment = sealed_offer.attachments.get()
    stored = stored_bytes(attachment)
    assert SECRET_FILE not in stored and not stored.startswith(b"%PDF")
    assert attachment.sha256 == hashlib.sha256(b"%PDF-1.4\n" + SECRET_FILE
                                               + b"\n%%EOF\n").hexdigest()
    download = api_as(agency).get(f"/files/bids/{attachment.pk}/")
    assert download.status_code == 200
    assert SECRET_FILE in b"".join(download.streaming_content)


def test_after_opening_everything_reads_as_before(sealed_offer, project):
    open_bids(project)
    opened = Bid.objects.get(pk=sealed_offer.pk)
    assert opened.price == Decimal(PRICE) and PHRASE in opened.proposal
    assert opened.sealed_contents == ""
    assert receipts.verify_bid_receipt(opened)
    owner_view = api_as(project.owner).get(f"/api/v1/bids/{opened.pk}/").json()
    assert owner_view["price"] == PRICE and PHRASE in owner_view["proposal"]
    attachment = opened.attachments.get()
    download = api_as(project.owner).get(f"/files/bids/{attachment.pk}/")
    assert SECRET_FILE in b"".join(download.streaming_content)
    assert SECRET_FILE not in stored_bytes(attachment)  # decrypted on download, not on disk


def test_a_blob_moved_to_another_bid_does_not_decrypt(sealed_offer, project, agencies):
    other = bid(project, agencies[0], "90000.00", now=DURING)
    Bid.objects.filter(pk=other.pk).update(sealed_contents=sealed_offer.sealed_contents)
    with pytest.raises(envelope.SealBroken) as refused, translation.override("en"):
        as_its_agency(Bid.objects.get(pk=other.pk))
    assert refused.value.code == "seal.mismatch"
    assert "does not belong to this record" in str(refused.value.message)


def test_only_the_agency_reads_its_sealed_bid(sealed_offer, project, agencies):
    regulator = RegulatorFactory()
    member_of(regulator)
    mine = api_as(sealed_offer.agency).get(f"/api/v1/bids/{sealed_offer.pk}/")
    assert mine.status_code == 200 and mine.json()["price"] == PRICE
    assert PHRASE in mine.json()["proposal"]
    for outsider in (project.owner, regulator, agencies[0]):
        assert api_as(outsider).get(f"/api/v1/bids/{sealed_offer.pk}/").status_code == 404
    with pytest.raises(NotAllowed):
        sealing.sealed_contents_for_bidder(Bid.objects.get(pk=sealed_offer.pk), project.owner)


def test_the_agency_sees_its_sealed_bid_on_its_receipt_page_and_revision_form(sealed_offer,
                                                                             agency):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user_of(agency))
    receipt_page = client.get(f"/workspace/bids/{sealed_offer.pk}/").content.decode()
    assert PHRASE in receipt_page and "87,654.32" in receipt_page
    assert "matches the bid as stored" in receipt_page
    form = client.get(f"/workspace/bids/{sealed_offer.pk}/revise/").content.decode()
    assert 'value="87654.32"' in form and PHRASE in form
    assert "87,654.32" in client.get("/workspace/bids/").content.decode()  # "my bids"


def test_receipts_verify_before_and_after_opening(sealed_offer, project):
    before = as_its_agency(Bid.objects.get(pk=sealed_offer.pk))
    assert receipts.verify_bid_receipt(before)
    open_bids(project)
    assert receipts.verify_bid_receipt(Bid.objects.get(pk=sealed_offer.pk))


def test_rotation_rewraps_every_key_and_old_bids_still_open(sealed_offer, project):
    with override_settings(BID_SEAL_KEKS=f"a:{KEK_A}", BID_SEAL_KEK_ID="a"):
        call_command("rotate_bid_seal_key", stdout=io.StringIO())  # derived -> a
        assert ProjectSealKey.objects.get(project=project).kek_id == "a"
    with override_settings(BID_SEAL_KEKS=f"a:{KEK_A},b:{KEK_B}", BID_SEAL_KEK_ID="b"):
        out = io.StringIO()
        call_command("rotate_bid_seal_key", stdout=out)
        assert "1 data key(s) rewrapped under 'b'" in out.getvalue()
        assert AuditEntry.objects.filter(action="bidding.seal_keys_rotated").count() == 2
    with override_settings(BID_SEAL_KEKS=f"b:{KEK_B}", BID_SEAL_KEK_ID="b"):  # a retired
        open_bids(project)
    assert Bid.objects.get(pk=sealed_offer.pk).price == Decimal(PRICE)


def test_a_missing_kek_refuses_the_opening_and_changes_nothing(sealed_offer, project):
    with override_settings(BID_SEAL_KEKS=f"a:{KEK_A}", BID_SEAL_KEK_ID="a"):
        call_command("rotate_bid_seal_key", stdout=io.StringIO())
    with (override_settings(BID_SEAL_KEKS=f"b:{KEK_B}", BID_SEAL_KEK_ID="b"),
          pytest.raises(envelope.SealBroken) as refused):
        open_bids(project)
    assert refused.value.code == "seal.kek_missing" and "“a”" in str(refused.value.message)
    project.refresh_from_db()
    assert project.opened_at is None and project.status == Project.Status.BIDDING
    assert Bid.objects.get(pk=sealed_offer.pk).price is None
    assert not AuditEntry.objects.filter(action="project.opened").exists()


def test_a_wrong_kek_under_the_right_id_refuses_the_opening(sealed_offer, project):
    with override_settings(BID_SEAL_KEKS=f"a:{KEK_A}", BID_SEAL_KEK_ID="a"):
        call_command("rotate_bid_seal_key", stdout=io.StringIO())
    with (override_settings(BID_SEAL_KEKS=f"a:{KEK_B}", BID_SEAL_KEK_ID="a"),
          pytest.raises(envelope.SealBroken) as refused):
        open_bids(project)
    assert refused.value.code == "seal.kek_wrong"
    assert Project.objects.get(pk=project.pk).opened_at is None


def test_production_on_the_derived_key_fails_the_deploy_check():
    assert [m.id for m in envelope.check_seal_keys()] == ["sealing.W001"]
    with override_settings(BID_SEAL_KEKS=f"a:{KEK_A}", BID_SEAL_KEK_ID="a"):
        assert envelope.check_seal_keys() == []
    with override_settings(BID_SEAL_KEKS="a:not-a-key"):
        assert [m.id for m in envelope.check_seal_keys()] == ["sealing.E001"]


def test_a_withdrawn_bid_is_opened_too_and_stays_its_agencys(sealed_offer, project, agency):
    services.bid_withdraw(bid=sealed_offer, by=user_of(agency), now=DURING)
    open_bids(project)
    withdrawn = Bid.objects.get(pk=sealed_offer.pk)
    assert withdrawn.price == Decimal(PRICE) and withdrawn.sealed_contents == ""
    assert api_as(project.owner).get(f"/api/v1/bids/{withdrawn.pk}/").status_code == 404


@override_settings(BID_SEAL_KMS="tests.bidding.test_sealed_at_rest.FakeKms")
def test_a_kms_plugs_in_through_bid_seal_kms(project, agency):
    offer = bid(project, agency, PRICE, now=DURING)
    assert ProjectSealKey.objects.get(project=project).kek_id == "kms-key-1"
    assert Bid.objects.values_list("price", flat=True).get(pk=offer.pk) is None
    open_bids(project)
    assert Bid.objects.get(pk=offer.pk).price == Decimal(PRICE)
