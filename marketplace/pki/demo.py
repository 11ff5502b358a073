"""The platform's own certificate authority, for the demo and for tests: a root and an issuing
CA, created by `manage.py pki_init_ca` in `PKI_CA_DIR` (outside the repository), their keys
encrypted with `PKI_CA_PASSPHRASE`. With `PKI_CA_AUTO_INIT` (on with DEBUG) the first use creates
them. Not a licensed CA: a signature under it is as trustworthy as the platform."""

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils import timezone

from marketplace.pki.authority import CertificateAuthority, Revoked, Subject
from marketplace.pki.rules import PkiUnavailable

ROOT_CERT, ROOT_KEY = "root.pem", "root-key.pem"
ISSUING_CERT, ISSUING_KEY = "issuing.pem", "issuing-key.pem"
CRL_VALIDITY = dt.timedelta(days=7)
# The demo's history (seed_demo) is signed at past times: the demo CA is valid from before it.
BACKDATED = dt.timedelta(days=730)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Marketplace demo CA"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _ca_certificate(*, subject: x509.Name, key, issuer: x509.Name, issuer_key, now,
                    years: int, path_length: int) -> x509.Certificate:
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                issuer_key.public_key()), critical=False)
            .sign(issuer_key, hashes.SHA256()))


def init_ca(directory: Path, passphrase: str, *, now: dt.datetime | None = None,
            force: bool = False) -> Path:
    """Create the root and the issuing CA in `directory` (mode 0700, keys encrypted with
    `passphrase`). Refuses to overwrite an existing CA unless `force`."""
    directory = Path(directory)
    if (directory / ROOT_CERT).exists() and not force:
        raise FileExistsError(f"A CA already exists in {directory}.")
    if not passphrase:
        raise ValueError("The CA needs a passphrase (PKI_CA_PASSPHRASE).")
    now = now or timezone.now() - BACKDATED
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    root_key, issuing_key = ec.generate_private_key(ec.SECP384R1()), ec.generate_private_key(
        ec.SECP384R1())
    root_name = _name("Marketplace Demo Root CA")
    issuing_name = _name("Marketplace Demo Signing CA")
    root = _ca_certificate(subject=root_name, key=root_key, issuer=root_name,
                           issuer_key=root_key, now=now, years=20, path_length=1)
    issuing = _ca_certificate(subject=issuing_name, key=issuing_key, issuer=root_name,
                              issuer_key=root_key, now=now, years=10, path_length=0)
    encryption = serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
    for filename, key in ((ROOT_KEY, root_key), (ISSUING_KEY, issuing_key)):
        path = directory / filename
        path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8, encryption))
        path.chmod(0o600)
    (directory / ROOT_CERT).write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (directory / ISSUING_CERT).write_bytes(issuing.public_bytes(serialization.Encoding.PEM))
    return directory


class DemoAuthority(CertificateAuthority):
    def __init__(self, directory: Path | None = None, passphrase: str | None = None):
        self.directory = Path(directory or settings.PKI_CA_DIR)
        self.passphrase = passphrase if passphrase is not None else settings.PKI_CA_PASSPHRASE
        if not (self.directory / ROOT_CERT).exists():
            if not settings.PKI_CA_AUTO_INIT:
                raise PkiUnavailable(code="pki.no_ca")
            init_ca(self.directory, self.passphrase)
        self._root = self._certificate(ROOT_CERT)
        self._issuing = self._certificate(ISSUING_CERT)

    def _certificate(self, filename: str) -> x509.Certificate:
        return x509.load_pem_x509_certificate((self.directory / filename).read_bytes())

    def _issuing_key(self):
        try:
            return serialization.load_pem_private_key(
                (self.directory / ISSUING_KEY).read_bytes(), self.passphrase.encode("utf-8"))
        except (ValueError, TypeError, OSError) as exc:
            raise PkiUnavailable(code="pki.ca_key") from exc

    def root(self) -> x509.Certificate:
        return self._root

    def chain(self) -> list[x509.Certificate]:
        return [self._issuing]

    def issue(self, *, subject: Subject, public_key, not_before, not_after) -> x509.Certificate:
        issuing_key = self._issuing_key()
        return (x509.CertificateBuilder().subject_name(subject.x509_name())
                .issuer_name(self._issuing.subject).public_key(public_key)
                .serial_number(x509.random_serial_number())
                .not_valid_before(not_before).not_valid_after(not_after)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(
                    digital_signature=True, content_commitment=True, key_encipherment=False,
                    data_encipherment=False, key_agreement=False, key_cert_sign=False,
                    crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key),
                               critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                    issuing_key.public_key()), critical=False)
                .sign(issuing_key, hashes.SHA256()))

    def revocation_list(self, revoked: list[Revoked], *, now) -> x509.CertificateRevocationList:
        issuing_key = self._issuing_key()
        builder = (x509.CertificateRevocationListBuilder().issuer_name(self._issuing.subject)
                   .last_update(now).next_update(now + CRL_VALIDITY)
                   .add_extension(x509.CRLNumber(int(now.timestamp() * 1000)), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                       issuing_key.public_key()), critical=False))
        for item in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(item.serial)
                .revocation_date(item.revoked_at)
                .add_extension(x509.CRLReason(item.reason), critical=False).build())
        return builder.sign(issuing_key, hashes.SHA256())
