"""The certificate authority behind contract signatures, as an interface (docs/decisions.md
"PAdES contract signatures (issue 16)"). The platform calls only these methods; the demo CA
(`marketplace.pki.demo`) implements them with `cryptography`, a licensed CA plugs in as another
subclass named by `PKI_AUTHORITY`.

The keys of the organizations are generated and kept by the platform ("cloud signing"): the
authority certifies a public key, it never sees a private one.
"""

import abc
import datetime as dt
import functools
from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Subject:
    """Who a signing certificate names: the organization's name and its USCC."""

    name: str
    uscc: str

    def x509_name(self) -> x509.Name:
        return x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, self.name[:64]),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, self.uscc),
            x509.NameAttribute(NameOID.COMMON_NAME, self.name[:64]),
        ])


@dataclass(frozen=True)
class Revoked:
    """One line of the revocation list."""

    serial: int
    revoked_at: dt.datetime
    reason: x509.ReasonFlags


class CertificateAuthority(abc.ABC):
    """What issues, lists as revoked and publishes. Raise `marketplace.pki.rules.PkiUnavailable`
    when the authority cannot be reached."""

    @abc.abstractmethod
    def issue(self, *, subject: Subject, public_key, not_before: dt.datetime,
              not_after: dt.datetime) -> x509.Certificate:
        """A signing certificate for `public_key` (key usage: digital signature and
        non-repudiation)."""

    @abc.abstractmethod
    def chain(self) -> list[x509.Certificate]:
        """The issuing CA certificates between a signing certificate and the root (embedded in
        every signature, so the root alone verifies it)."""

    @abc.abstractmethod
    def root(self) -> x509.Certificate:
        """The root certificate the platform publishes."""

    @abc.abstractmethod
    def revocation_list(self, revoked: list[Revoked], *,
                        now: dt.datetime) -> x509.CertificateRevocationList:
        """A CRL listing `revoked`, signed by the issuing CA (a licensed CA returns its own
        list, which `revoked` mirrors after `notify_revoked`)."""

    def notify_revoked(self, revoked: Revoked) -> None:  # noqa: B027 (optional hook)
        """Tell the authority a certificate was revoked (a licensed CA revokes on its side);
        the demo CA keeps its list in our database and needs nothing."""


@functools.cache
def configured_authority() -> CertificateAuthority:
    """The class named by `PKI_AUTHORITY` (default: the demo CA), created once per process."""
    return import_string(settings.PKI_AUTHORITY)()


@receiver(setting_changed)
def _forget_authority(*, setting, **kwargs):
    if setting.startswith("PKI_"):
        configured_authority.cache_clear()
