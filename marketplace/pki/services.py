"""Issuance, use, renewal and revocation of the organizations' signing certificates. Each is
one audit entry, in the organization's stream."""

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.actors import require_regulator
from marketplace.audit import services as audit
from marketplace.errors import DomainError, StateConflict
from marketplace.pki import keys, selectors
from marketplace.pki.authority import Revoked, Subject, configured_authority
from marketplace.pki.models import Certificate
from marketplace.pki.rules import check_can_revoke, check_usable

Reason = Certificate.Reason


@dataclass(frozen=True)
class SigningCredentials:
    """What the PDF signer needs: the key (PKCS#8 DER), its certificate and the CA chain."""

    certificate: Certificate
    private_key_der: bytes
    certificate_der: bytes
    chain_der: list[bytes]


def _serial_hex(certificate: x509.Certificate) -> str:
    return format(certificate.serial_number, "x")


@transaction.atomic
def certificate_issue(*, organization, now: dt.datetime | None = None, by=None,
                      renewed_from: Certificate | None = None) -> Certificate:
    """A new key for the organization, certified by the authority for `PKI_CERT_VALIDITY_DAYS`;
    the key is sealed before it is stored."""
    now = now or timezone.now()
    private_key = keys.new_private_key()
    issued = configured_authority().issue(
        subject=Subject(name=organization.name, uscc=organization.uscc),
        public_key=private_key.public_key(), not_before=now - dt.timedelta(minutes=1),
        not_after=now + dt.timedelta(days=settings.PKI_CERT_VALIDITY_DAYS))
    serial = _serial_hex(issued)
    certificate = Certificate.objects.create(
        organization=organization, serial=serial, subject_name=organization.name[:200],
        uscc=organization.uscc, not_before=issued.not_valid_before_utc,
        not_after=issued.not_valid_after_utc, issued_at=now, renewed_from=renewed_from,
        certificate_pem=issued.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        **keys.seal(private_key, serial))
    audit.record(action="certificate.renewed" if renewed_from else "certificate.issued",
                 actor=by, organization=organization, obj=certificate,
                 data={"serial": serial, "not_after": certificate.not_after.isoformat(),
                       "renewed_from": renewed_from.serial if renewed_from else None}, now=now)
    return certificate


def signing_certificate(*, organization, now: dt.datetime) -> Certificate:
    """The certificate the organization signs with now; issued on first use."""
    certificate = selectors.current_certificate(organization, now=now)
    if certificate is None:
        certificate = certificate_issue(organization=organization, now=now)
    check_usable(certificate, now=now)
    return certificate


@transaction.atomic
def certificate_use(*, certificate: Certificate, by, purpose: str, data: dict,
                    now: dt.datetime) -> SigningCredentials:
    """Open the sealed key for one signature (the caller has re-authenticated the signer and
    signs inside its own transaction); the use is audited."""
    check_usable(certificate, now=now)
    credentials = SigningCredentials(
        certificate=certificate, private_key_der=keys.open_key(certificate),
        certificate_der=certificate.x509().public_bytes(serialization.Encoding.DER),
        chain_der=[ca.public_bytes(serialization.Encoding.DER)
                   for ca in configured_authority().chain()])
    audit.record(action="certificate.used", actor=by, organization=certificate.organization,
                 obj=certificate, data={"serial": certificate.serial, "purpose": purpose, **data},
                 now=now)
    return credentials


def renew_due_certificates(*, now: dt.datetime | None = None) -> int:
    """The beat task: a successor for each certificate in use that expires within
    `PKI_RENEW_BEFORE_DAYS`; one transaction each."""
    now = now or timezone.now()
    due = selectors.due_for_renewal(now=now,
                                    before=dt.timedelta(days=settings.PKI_RENEW_BEFORE_DAYS))
    renewed = 0
    for certificate in due.select_related("organization"):
        if certificate.organization.status == certificate.organization.Status.EXITED:
            continue
        certificate_issue(organization=certificate.organization, now=now,
                          renewed_from=certificate)
        renewed += 1
    return renewed


def _revoke(certificate: Certificate, *, reason: str, note: str, by, now) -> Certificate:
    check_can_revoke(certificate, now=now)
    certificate.revoked_at = now
    certificate.revocation_reason = reason
    certificate.revocation_note = note
    certificate.revoked_by = by
    certificate.save(update_fields=["revoked_at", "revocation_reason", "revocation_note",
                                    "revoked_by"])
    configured_authority().notify_revoked(Revoked(
        serial=certificate.serial_int, revoked_at=now, reason=selectors.REASON_FLAGS[reason]))
    audit.record(action="certificate.revoked", actor=by, organization=certificate.organization,
                 obj=certificate, data={"serial": certificate.serial, "reason": reason,
                                        "note": note}, now=now)
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, note: str, by,
                       now: dt.datetime | None = None) -> Certificate:
    """A regulator revokes a certificate (the console re-authenticates them first). Contracts
    signed before stay valid for what they signed; the key signs nothing after."""
    require_regulator(by)
    now = now or timezone.now()
    if reason not in Reason.values:
        raise DomainError(_("Choose the reason for the revocation."), field="reason")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Give a note on the revocation."), field="note")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    return _revoke(certificate, reason=reason, note=note, by=by, now=now)


@transaction.atomic
def organization_certificates_revoke(*, organization, reason: str, note: str, by,
                                     now: dt.datetime | None = None) -> int:
    """A regulator revokes every certificate of an organization in force (the console asks
    for re-authentication first). Its next signature, if it may still sign, gets a new one."""
    require_regulator(by)
    now = now or timezone.now()
    if reason not in Reason.values:
        raise DomainError(_("Choose the reason for the revocation."), field="reason")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Give a note on the revocation."), field="note")
    revoked = certificates_revoke_for(organization=organization, reason=reason, note=note,
                                      by=by, now=now)
    if not revoked:
        raise StateConflict(_("This organization has no signing certificate in force."),
                            code="pki.nothing_to_revoke")
    return revoked


def organizations_with_certificates_in_force(organization_ids) -> set[int]:
    """Which of these organizations have a certificate `certificates_revoke_for` would revoke
    (one query: a mass listing runs the full path only for those)."""
    return set(Certificate.objects.filter(organization_id__in=organization_ids,
                                          revoked_at__isnull=True)
               .values_list("organization_id", flat=True).distinct())


def certificates_revoke_for(*, organization, reason: str, note: str, by=None,
                            now: dt.datetime) -> int:
    """Every certificate of the organization still in force is revoked (a blacklisting, a
    market exit: called inside that sanction's transaction). Returns how many."""
    revoked = 0
    for certificate in (Certificate.objects.select_for_update()
                        .filter(organization=organization, revoked_at__isnull=True)
                        .order_by("id")):
        _revoke(certificate, reason=reason, note=note[:2000], by=by, now=now)
        revoked += 1
    return revoked
