"""The contract PDF both parties sign: the frozen text (contracts.pdf) with a signature page
holding one empty signature field per party, each named after the party and the USCC that must
sign it ("owner_<USCC>"). Every signer adds an incremental update filling its field, so the
earlier signature stays valid. The field names are in the first revision, covered by both
signatures: a certificate of another organization in a field is detectable offline."""

import datetime as dt
import io
import re

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfSigner
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from contracts.fonts import face_for
from contracts.pades import outside_event_loop
from marketplace.formatting.moments import local_minute

# Where each party's stamp goes on the signature page (points, origin bottom left, A4).
MM = 72 / 25.4
BOXES = {"owner": (20 * MM, 297 * MM - 105 * MM, 102 * MM, 297 * MM - 55 * MM),
         "agency": (108 * MM, 297 * MM - 105 * MM, 190 * MM, 297 * MM - 55 * MM)}
FIELD = re.compile(r"^(owner|agency)_([0-9A-Z]{18})$")
HASH_IN_REASON = re.compile(r"\b([0-9a-f]{64})\b")


def field_name(party: str, uscc: str) -> str:
    return f"{party}_{uscc}"


def parse_field_name(name: str) -> tuple[str, str] | None:
    """(party, USCC) a field was made for, or None for a field we did not make."""
    match = FIELD.match(name or "")
    return (match.group(1), match.group(2)) if match else None


def with_signature_fields(pdf: bytes, contract) -> bytes:
    """The base PDF plus one empty signature field per party on its last page (one revision)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for party, organization in (("owner", contract.owner), ("agency", contract.agency)):
        fields.append_signature_field(writer, fields.SigFieldSpec(
            sig_field_name=field_name(party, organization.uscc), on_page=-1,
            box=tuple(round(v) for v in BOXES[party])))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stamp_text(*, organization, signer: str, when: dt.datetime) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return "\n".join([
            organization.name,
            _("USCC: %(uscc)s") % {"uscc": organization.uscc},
            _("Signed by: %(signer)s") % {"signer": signer},
            _("Time: %(when)s") % {"when": local_minute(when)},
        ])


def reason_text(text_sha256: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Contract signed on the platform; SHA-256 of the contract text: %(hash)s") % {
            "hash": text_sha256}


class _TimedSigner(PdfSigner):
    """pyHanko's signer with the signing time set by the service (the server's clock, as
    the service's `now`), not read from the system clock again."""

    def __init__(self, *args, signing_time: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signing_time
        return session


def timestamper():
    """The RFC 3161 timestamp authority when `CONTRACT_TSA_URL` names one; else None (the
    signing time is the server's)."""
    if not settings.CONTRACT_TSA_URL:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(settings.CONTRACT_TSA_URL)


def sign_pdf(pdf: bytes, *, party: str, organization, credentials, signer: str,
             text_sha256: str, now: dt.datetime) -> bytes:
    """`pdf` with the party's PAdES signature in its field, as an incremental update."""
    certificate = asn1_x509.Certificate.load(credentials.certificate_der)
    pdf_signer = signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=asn1_keys.PrivateKeyInfo.load(credentials.private_key_der),
        cert_registry=SimpleCertificateStore.from_certs(
            [certificate, *(asn1_x509.Certificate.load(der) for der in credentials.chain_der)]))
    text = stamp_text(organization=organization, signer=signer, when=now)
    style = TextStampStyle(
        stamp_text="%(contract_stamp)s", border_width=2,
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(face_for(text), font_size=9),
                                    font_size=9))
    meta = signers.PdfSignatureMetadata(
        field_name=field_name(party, organization.uscc), reason=reason_text(text_sha256),
        name=organization.name, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256")
    out = outside_event_loop(lambda: _TimedSigner(
        meta, pdf_signer, timestamper=timestamper(), stamp_style=style, signing_time=now,
    ).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), existing_fields_only=True,
               appearance_text_params={"contract_stamp": text}))
    return out.getvalue()
