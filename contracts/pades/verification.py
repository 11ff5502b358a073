"""Verifying a contract PDF with pyHanko: each signature's integrity, its chain to the
platform's root, its certificate's status when it signed, and whether the certificate is the
one of the organization the signature field was made for. Runs on the platform (with the CRL)
and offline (`manage.py verify_contract`, the root alone)."""

import datetime as dt
import io
import logging
from dataclasses import dataclass, field

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)

from contracts.pades import outside_event_loop
from contracts.pades.document import HASH_IN_REASON, parse_field_name
from marketplace.errors import DomainError

logger = logging.getLogger(__name__)
# With the platform's CRL: the signing certificate must be checked against it (its issuing CA
# is the platform's own, under the root); without one (offline), revocations are not known.
WITH_CRL = CertRevTrustPolicy(RevocationCheckingPolicy(
    ee_certificate_rule=RevocationCheckingRule.CRL_REQUIRED,
    intermediate_ca_cert_rule=RevocationCheckingRule.NO_CHECK), retroactive_revinfo=True)
WITHOUT_CRL = CertRevTrustPolicy(RevocationCheckingPolicy(
    ee_certificate_rule=RevocationCheckingRule.NO_CHECK,
    intermediate_ca_cert_rule=RevocationCheckingRule.NO_CHECK))
ALLOWED_LATER_CHANGES = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES,
                         ModificationLevel.FORM_FILLING)


NOT_SIGNED_YET = gettext_lazy("This contract has no digital signature yet.")


class NotAPdf(DomainError):
    code = "verify.not_pdf"
    default_message = gettext_lazy("This file is not a PDF document that can be read.")


@dataclass
class SignatureReport:
    field: str
    party: str
    organization: str
    uscc: str
    serial: str
    signed_at: dt.datetime | None
    intact: bool
    trusted: bool
    text_sha256: str
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.intact and self.trusted and not self.problems


@dataclass
class DocumentReport:
    signatures: list[SignatureReport]

    @property
    def text_sha256(self) -> str:
        """The contract text's hash the intact signatures agree on ("" if none or they
        disagree)."""
        hashes = {s.text_sha256 for s in self.signatures if s.intact}
        return hashes.pop() if len(hashes) == 1 else ""


def load_certificates(data: bytes) -> list[asn1_x509.Certificate]:
    """Certificates from PEM (one or more) or DER bytes."""
    if pem.detect(data):
        return [asn1_x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(
            data, multiple=True)]
    return [asn1_x509.Certificate.load(data)]


def _reader(data: bytes) -> PdfFileReader:
    if not data.startswith(b"%PDF-"):
        raise NotAPdf()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        reader.embedded_signatures  # noqa: B018 (parses the form: a broken one fails here)
    except Exception as exc:  # noqa: BLE001 (a malformed PDF raises anything pyHanko can)
        logger.info("unreadable PDF uploaded for verification: %s", exc)
        raise NotAPdf() from exc
    return reader


def _subject(certificate) -> tuple[str, str, str]:
    subject = certificate.subject.native
    return (subject.get("organization_name") or subject.get("common_name") or "",
            subject.get("serial_number") or "", format(certificate.serial_number, "x"))


def _check(embedded, *, roots, crls) -> SignatureReport:
    organization, uscc, serial = _subject(embedded.signer_cert)
    signed_at = embedded.self_reported_timestamp
    reason = str(embedded.sig_object.get("/Reason", ""))
    found = HASH_IN_REASON.search(reason)
    made_for = parse_field_name(embedded.field_name)
    report = SignatureReport(field=embedded.field_name or "", party=made_for[0] if made_for
                             else "", organization=organization, uscc=uscc, serial=serial,
                             signed_at=signed_at, intact=False, trusted=False,
                             text_sha256=found.group(1) if found else "")
    # The certificate is judged as of the signing time: a contract signed before a
    # revocation stays valid, one signed after it is not (docs/decisions.md, issue 16).
    context = ValidationContext(
        trust_roots=roots, crls=crls or [], allow_fetching=False, moment=signed_at,
        revinfo_policy=WITH_CRL if crls is not None else WITHOUT_CRL)
    try:
        status = outside_event_loop(lambda: validate_pdf_signature(embedded, context))
    except Exception as exc:  # noqa: BLE001 (a forged structure may break the validator)
        logger.info("signature %s could not be validated: %s", embedded.field_name, exc)
        report.problems.append(_("The signature could not be checked."))
        return report
    later_ok = status.docmdp_ok is not False and (
        status.modification_level is None
        or status.modification_level in ALLOWED_LATER_CHANGES)
    report.intact = bool(status.intact and status.valid and later_ok)
    report.trusted = bool(status.trusted)
    if not report.intact:
        report.problems.append(_("The document was changed after this signature."))
    if not report.trusted:
        revoked = getattr(status.revocation_details, "revocation_date", None)
        report.problems.append(
            _("The certificate was revoked before this signature was made.") if revoked
            else _("The certificate does not lead to the platform's root, or was not valid "
                   "when it signed."))
    if made_for is None:
        report.problems.append(_("This signature is not in a field the platform made for a "
                                 "party."))
    elif made_for[1] != uscc:
        report.problems.append(_("The certificate belongs to another organization than the "
                                 "party this signature is for."))
    if not report.text_sha256:
        report.problems.append(_("The signature does not name the contract text's hash."))
    return report


def verify_document(data: bytes, *, roots: list[asn1_x509.Certificate],
                    crls: list[bytes] | None = None) -> DocumentReport:
    """Every signature of the PDF, checked against `roots` (and `crls` when given: the
    platform's list; offline without one, revocations are not known)."""
    reader = _reader(data)
    return DocumentReport(signatures=[_check(embedded, roots=roots, crls=crls)
                                      for embedded in reader.embedded_signatures])


@dataclass
class Verification:
    """What the platform answers about an uploaded PDF (API.md `POST verify/contract/`)."""

    report: DocumentReport
    matches_contract: bool

    def as_dict(self) -> dict:
        return {"signatures": [{
            "field": s.field, "party": s.party, "organization": s.organization, "uscc": s.uscc,
            "serial": s.serial, "valid": s.valid, "intact": s.intact, "trusted": s.trusted,
            "signed_at": s.signed_at, "problems": s.problems} for s in self.report.signatures],
            "text_sha256": self.report.text_sha256, "matches_contract": self.matches_contract}


def verify_upload(file) -> Verification:
    """An uploaded PDF checked against the platform's root and current CRL; it matches a
    contract when its intact signatures name the text hash of a contract on the platform.
    A missing, empty, oversized or non-PDF file is a DomainError (400)."""
    from contracts.models import Contract
    from marketplace.pki.selectors import revocation_list_der, root_pem
    from marketplace.uploads import check_upload

    check_upload(file, allowed=("pdf",))
    file.seek(0)
    report = verify_document(file.read(), roots=load_certificates(root_pem()),
                             crls=[revocation_list_der()])
    matches = bool(report.text_sha256) and Contract.objects.filter(
        text_sha256=report.text_sha256).exists()
    return Verification(report=report, matches_contract=matches)
