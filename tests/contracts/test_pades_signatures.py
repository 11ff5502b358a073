"""The contract PDF carries both parties' PAdES signatures: verifiable with pyHanko and the
platform's root alone; a byte changed, a revoked certificate, another organization's
certificate are each reported invalid (issue 16)."""

import datetime as dt
import io
import re

import pytest
from django.utils import translation
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PdfFileWriter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from contracts.fonts import face_for
from contracts.pades.document import sign_pdf, stamp_text
from contracts.pades.verification import load_certificates, verify_document
from contracts.selectors import latest_signed_pdf
from marketplace.audit.models import AuditEntry
from marketplace.pki import keys
from marketplace.pki import services as pki
from marketplace.pki.selectors import revocation_list_der, root_pem
from marketplace.pki.services import SigningCredentials
from tests.factories.accounts import AgencyFactory, RegulatorFactory, member_of
from tests.factories.contracts import active_contract, contract_awaiting_signatures, sign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reports_in_english():
    """The verification reports' problems are read in English (the catalogue is Chinese)."""
    with translation.override("en"):
        yield


def signed_pdf(contract) -> bytes:
    with latest_signed_pdf(contract).signed_pdf.open("rb") as handle:
        return handle.read()


def root_only():
    return load_certificates(root_pem())


@pytest.fixture
def contract():
    return active_contract()


def test_both_signatures_verify_with_pyhanko_and_the_root_alone(contract):
    data = signed_pdf(contract)
    embedded = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert len(embedded) == 2
    for signature in embedded:
        status = validate_pdf_signature(signature, ValidationContext(
            trust_roots=root_only(), moment=signature.self_reported_timestamp))
        assert status.bottom_line, status.pretty_print_details()
    report = verify_document(data, roots=root_only())
    assert [(s.party, s.uscc, s.valid) for s in report.signatures] == [
        ("owner", contract.owner.uscc, True), ("agency", contract.agency.uscc, True)]
    assert report.text_sha256 == contract.text_sha256


def test_a_stamp_with_a_rare_character_in_the_name_is_drawn_and_verifies():
    """喆 is outside the common face (contracts.fonts): the stamp takes the whole font."""
    contract = contract_awaiting_signatures()
    contract.agency.name = "重庆喆达测绘有限公司"
    contract.agency.save(update_fields=["name"])
    sign(contract, contract.owner, now=contract.created_at + dt.timedelta(hours=1))
    sign(contract, contract.agency, now=contract.created_at + dt.timedelta(hours=2))
    report = verify_document(signed_pdf(contract), roots=root_only())
    assert [s.valid for s in report.signatures] == [True, True]
    # The stamp's font has a glyph for every character (glyph id 0 is the "missing" box).
    text = stamp_text(organization=contract.agency, signer="王喆", when=contract.created_at)
    engine = GlyphAccumulatorFactory(face_for(text), font_size=9).create_font_engine(
        PdfFileWriter())
    for line in text.splitlines():
        shown = b"".join(re.findall(rb"<([0-9a-f]+)>", engine.shape(line).graphics_ops))
        assert b"0000" not in {shown[i:i + 4] for i in range(0, len(shown), 4)}, line


def test_each_signature_record_keeps_its_certificate_serial_and_pdf(contract):
    report = verify_document(signed_pdf(contract), roots=root_only())
    records = list(contract.signatures.order_by("signed_at"))
    assert [r.certificate_serial for r in records] == [s.serial for s in report.signatures]
    # The owner's PDF (the first revision signed) is kept as it stood.
    with records[0].signed_pdf.open("rb") as handle:
        assert len(verify_document(handle.read(), roots=root_only()).signatures) == 1
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"certificate.issued", "certificate.used"} <= actions


def test_a_byte_changed_after_signing_is_reported(contract):
    data = signed_pdf(contract)
    assert data.count(b"(D:20") >= 1
    altered = data.replace(b"(D:20", b"(D:21", 1)
    report = verify_document(altered, roots=root_only())
    assert report.signatures and not any(s.intact or s.valid for s in report.signatures)
    assert "The document was changed after this signature." in report.signatures[0].problems


def test_a_signature_under_a_revoked_certificate_is_invalid_one_made_before_stays_valid(
        contract):
    agency_serial = contract.signatures.get(organization=contract.agency).certificate_serial
    certificate = contract.agency.signing_certificates.get(serial=agency_serial)
    revoked_at = contract.activated_at + dt.timedelta(days=1)
    regulator = member_of(RegulatorFactory())
    pki.certificate_revoke(certificate=certificate, reason="key_compromise",
                           note="密钥泄露", by=regulator, now=revoked_at)
    crl = [revocation_list_der(now=revoked_at + dt.timedelta(hours=1))]
    before = verify_document(signed_pdf(contract), roots=root_only(), crls=crl)
    assert [s.valid for s in before.signatures] == [True, True]

    # The revoked key signs a second contract after the revocation (as a thief would).
    later = contract_awaiting_signatures()
    later.agency = contract.agency
    certificate.refresh_from_db()
    forged = sign_pdf(_base(later), party="agency", organization=contract.agency,
                      credentials=_credentials(certificate), signer="x",
                      text_sha256=later.text_sha256, now=revoked_at + dt.timedelta(hours=2))
    report = verify_document(forged, roots=root_only(), crls=crl)
    assert [s.valid for s in report.signatures] == [False]
    assert report.signatures[0].intact
    assert ("The certificate was revoked before this signature was made."
            in report.signatures[0].problems)


def test_a_certificate_of_another_organization_is_invalid():
    contract = contract_awaiting_signatures()
    sign(contract, contract.owner)
    stranger = AgencyFactory()
    certificate = pki.certificate_issue(organization=stranger, now=contract.created_at)
    forged = sign_pdf(signed_pdf(contract), party="agency", organization=contract.agency,
                      credentials=_credentials(certificate), signer="x",
                      text_sha256=contract.text_sha256,
                      now=contract.created_at + dt.timedelta(hours=2))
    report = verify_document(forged, roots=root_only())
    owner, agency = report.signatures
    assert owner.valid and agency.intact and agency.trusted and not agency.valid
    assert agency.uscc == stranger.uscc
    assert ("The certificate belongs to another organization than the party this signature "
            "is for." in agency.problems)


def _base(contract) -> bytes:
    from contracts.pades.document import with_signature_fields
    from contracts.pdf import render_pdf

    return with_signature_fields(render_pdf(contract, for_signing=True), contract)


def _credentials(certificate) -> SigningCredentials:
    """The key of a certificate, opened without the service's checks (what a thief holds)."""
    from cryptography.hazmat.primitives import serialization

    from marketplace.pki.authority import configured_authority

    return SigningCredentials(
        certificate=certificate, private_key_der=keys.open_key(certificate),
        certificate_der=certificate.x509().public_bytes(serialization.Encoding.DER),
        chain_der=[ca.public_bytes(serialization.Encoding.DER)
                   for ca in configured_authority().chain()])
