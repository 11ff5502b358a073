"""The organization's digital signature on the contract PDF, made inside the signing
transaction right after the person's signature record (contracts.services.signing): the key is
opened only here, after the signer re-authenticated."""

import datetime as dt
import logging

from django.core.files.base import ContentFile

from contracts.models import Contract, Signature
from contracts.pades.document import sign_pdf, with_signature_fields
from contracts.pdf import MissingGlyphs, render_pdf
from contracts.selectors import latest_signed_pdf
from marketplace.pki import services as pki

logger = logging.getLogger(__name__)


def _document(contract: Contract, *, exclude: int) -> bytes | None:
    previous = latest_signed_pdf(contract)
    if previous is not None and previous.pk != exclude:
        with previous.signed_pdf.open("rb") as handle:
            return handle.read()
    try:
        return with_signature_fields(render_pdf(contract, for_signing=True), contract)
    except MissingGlyphs as exc:
        logger.warning("contract %s: no PDF to sign digitally: %s", contract.pk, exc)
        return None


def sign_digitally(*, contract: Contract, signature: Signature, party: str, organization, by,
                   now: dt.datetime) -> dict:
    """Add the party's PAdES signature to the contract PDF and store the PDF and the
    certificate serial on `signature`. What the audit entry of the signature records."""
    document = _document(contract, exclude=signature.pk)
    if document is None:
        return {"digital_signature": False}
    certificate = pki.signing_certificate(organization=organization, now=now)
    credentials = pki.certificate_use(
        certificate=certificate, by=by, purpose="contract.signed",
        data={"contract": contract.pk, "text_sha256": contract.text_sha256}, now=now)
    signed = sign_pdf(document, party=party, organization=organization, credentials=credentials,
                      signer=by.get_full_name() or by.get_username(),
                      text_sha256=contract.text_sha256, now=now)
    signature.certificate_serial = certificate.serial
    signature.signed_pdf.save(f"contract-{contract.pk}-{party}.pdf", ContentFile(signed),
                              save=False)
    signature.save(update_fields=["certificate_serial", "signed_pdf"])
    return {"certificate_serial": certificate.serial}
