"""Signing certificates: issued with the organization's name and USCC, the key sealed at rest,
renewed before expiry, revoked by a regulator or by a blacklisting or market exit, listed in
the CRL; each step an audit entry (issue 16)."""

import datetime as dt
import io

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.core.management.base import CommandError

from marketplace.audit.models import AuditEntry
from marketplace.errors import NotAllowed, StateConflict
from marketplace.pki import keys, selectors, services
from marketplace.pki.models import Certificate
from ratings import services as ratings
from tests.factories.accounts import AgencyFactory, OwnerFactory, RegulatorFactory, member_of
from tests.factories.bidding import T0

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


@pytest.fixture
def regulator():
    return member_of(RegulatorFactory())


def test_a_certificate_names_the_organization_and_its_uscc_and_chains_to_the_root():
    agency = AgencyFactory(name="重庆测试咨询有限公司")
    certificate = services.certificate_issue(organization=agency, now=T0)
    issued = certificate.x509()
    assert issued.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == (
        "重庆测试咨询有限公司")
    assert issued.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == agency.uscc
    assert format(issued.serial_number, "x") == certificate.serial
    assert certificate.not_after - certificate.not_before >= dt.timedelta(days=365)
    chain = services.configured_authority().chain()
    issued.verify_directly_issued_by(chain[0])
    chain[0].verify_directly_issued_by(x509.load_pem_x509_certificate(selectors.root_pem()))
    assert actions() == ["certificate.issued"]


def test_the_private_key_is_sealed_at_rest_and_bound_to_its_certificate():
    certificate = services.certificate_issue(organization=OwnerFactory(), now=T0)
    der = keys.open_key(certificate)
    assert der not in certificate.sealed_key.encode() and len(der) > 100
    other = services.certificate_issue(organization=OwnerFactory(), now=T0)
    other.sealed_key, other.wrapped_key = certificate.sealed_key, certificate.wrapped_key
    with pytest.raises(Exception) as refused:
        keys.open_key(other)
    assert getattr(refused.value, "code", "") == "seal.mismatch"


def test_a_certificate_is_renewed_before_it_expires_once():
    agency = AgencyFactory()
    first = services.certificate_issue(organization=agency, now=T0)
    assert services.renew_due_certificates(now=T0 + dt.timedelta(days=200)) == 0
    near_expiry = first.not_after - dt.timedelta(days=10)
    assert services.renew_due_certificates(now=near_expiry) == 1
    assert services.renew_due_certificates(now=near_expiry) == 0
    successor = Certificate.objects.get(renewed_from=first)
    assert successor.not_after > first.not_after
    assert selectors.current_certificate(agency, now=near_expiry) == successor
    assert actions() == ["certificate.issued", "certificate.renewed"]


def test_only_a_regulator_revokes_and_the_crl_lists_the_certificate(regulator):
    agency = AgencyFactory()
    certificate = services.certificate_issue(organization=agency, now=T0)
    with pytest.raises(NotAllowed):
        services.certificate_revoke(certificate=certificate, reason="key_compromise",
                                    note="x", by=member_of(agency))
    revoked_at = T0 + dt.timedelta(days=1)
    services.certificate_revoke(certificate=certificate, reason="key_compromise",
                                note="密钥泄露", by=regulator, now=revoked_at)
    with pytest.raises(StateConflict):
        services.certificate_revoke(certificate=certificate, reason="key_compromise",
                                    note="again", by=regulator, now=revoked_at)
    crl = selectors.revocation_list(now=revoked_at)
    entry = crl.get_revoked_certificate_by_serial_number(certificate.serial_int)
    assert entry is not None and entry.revocation_date_utc == revoked_at
    crl.is_signature_valid(services.configured_authority().chain()[0].public_key())
    assert selectors.current_certificate(agency, now=revoked_at) is None
    assert actions()[-1] == "certificate.revoked"


def test_blacklisting_revokes_the_organizations_certificates(regulator):
    agency = AgencyFactory()
    certificate = services.certificate_issue(organization=agency, now=T0)
    now = T0 + dt.timedelta(days=2)
    ratings.blacklist_add(organization=agency, reason="严重违规", basis="决定书",
                          source="regulator", by=regulator, ends_at=now + dt.timedelta(days=365),
                          now=now)
    certificate.refresh_from_db()
    assert certificate.revoked_at == now
    assert certificate.revocation_reason == Certificate.Reason.PRIVILEGE_WITHDRAWN
    entry = AuditEntry.objects.get(action="blacklist.added")
    assert entry.data["certificates_revoked"] == 1


def test_a_market_exit_revokes_the_organizations_certificates(regulator):
    owner = OwnerFactory()
    certificate = services.certificate_issue(organization=owner, now=T0)
    ratings.organization_expel(organization=owner, reason="清退", by=regulator,
                               now=T0 + dt.timedelta(days=3))
    certificate.refresh_from_db()
    assert certificate.revocation_reason == Certificate.Reason.CESSATION
    assert "certificate.revoked" in actions()


def test_the_ca_is_created_by_a_command_outside_the_repository(tmp_path, settings):
    settings.PKI_CA_PASSPHRASE = "another-passphrase"
    out = io.StringIO()
    call_command("pki_init_ca", "--dir", str(tmp_path / "ca"), stdout=out)
    assert (tmp_path / "ca" / "root.pem").exists()
    assert b"ENCRYPTED" in (tmp_path / "ca" / "issuing-key.pem").read_bytes()
    with pytest.raises(CommandError):
        call_command("pki_init_ca", "--dir", str(tmp_path / "ca"), stdout=out)


def test_without_a_ca_signing_is_unavailable_unless_it_may_create_one(tmp_path, settings):
    from marketplace.pki.rules import PkiUnavailable

    settings.PKI_CA_DIR = tmp_path / "none"
    with pytest.raises(PkiUnavailable):
        services.certificate_issue(organization=AgencyFactory(), now=T0)
    settings.PKI_CA_AUTO_INIT = True
    settings.PKI_CA_DIR = tmp_path / "auto"
    # The demo CA creates itself on first use (DEBUG, local).
    services.certificate_issue(organization=AgencyFactory(), now=T0)
    assert (tmp_path / "auto" / "root.pem").exists()
