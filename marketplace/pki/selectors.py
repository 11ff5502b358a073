"""Reads of the signing certificates and what the platform publishes (root, CRL)."""

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from django.db.models import QuerySet
from django.utils import timezone

from marketplace.pki.authority import Revoked, configured_authority
from marketplace.pki.models import Certificate

Reason = Certificate.Reason
REASON_FLAGS = {Reason.PRIVILEGE_WITHDRAWN: x509.ReasonFlags.privilege_withdrawn,
                Reason.CESSATION: x509.ReasonFlags.cessation_of_operation,
                Reason.AFFILIATION_CHANGED: x509.ReasonFlags.affiliation_changed,
                Reason.KEY_COMPROMISE: x509.ReasonFlags.key_compromise,
                Reason.SUPERSEDED: x509.ReasonFlags.superseded}


def certificates_of(organization) -> QuerySet[Certificate]:
    return Certificate.objects.filter(organization=organization)


def current_certificate(organization, *, now: dt.datetime) -> Certificate | None:
    """The newest certificate that signs now: not revoked, within its validity."""
    return (certificates_of(organization)
            .filter(revoked_at__isnull=True, not_before__lte=now, not_after__gt=now)
            .order_by("-not_after", "-id").first())


def due_for_renewal(*, now: dt.datetime, before: dt.timedelta) -> QuerySet[Certificate]:
    """Certificates in use that expire within `before` and have no successor yet."""
    return Certificate.objects.filter(revoked_at__isnull=True, not_after__gt=now,
                                      not_after__lte=now + before, renewed_by__isnull=True)


def root_pem() -> bytes:
    return configured_authority().root().public_bytes(serialization.Encoding.PEM)


def root_fingerprint() -> str:
    digest = configured_authority().root().fingerprint(hashes.SHA256())
    return ":".join(f"{byte:02X}" for byte in digest)


def revoked_entries() -> list[Revoked]:
    return [Revoked(serial=int(serial, 16), revoked_at=revoked_at, reason=REASON_FLAGS[reason])
            for serial, revoked_at, reason in Certificate.objects.filter(
                revoked_at__isnull=False).order_by("revoked_at", "id")
            .values_list("serial", "revoked_at", "revocation_reason")]


def revocation_list(*, now: dt.datetime | None = None) -> x509.CertificateRevocationList:
    return configured_authority().revocation_list(revoked_entries(), now=now or timezone.now())


def revocation_list_der(*, now: dt.datetime | None = None) -> bytes:
    return revocation_list(now=now).public_bytes(serialization.Encoding.DER)
