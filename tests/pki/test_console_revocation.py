"""A regulator revokes an organization's signing certificates in the console: re-authenticated,
with a reason and a note; audited; listed in the CRL (issue 16)."""

import pytest

from marketplace.accounts import services as accounts
from marketplace.audit.models import AuditEntry
from marketplace.pki import selectors, services
from tests.factories.accounts import PASSWORD, AgencyFactory, log_in_verified, reauthentication
from tests.factories.bidding import T0

pytestmark = pytest.mark.django_db
URL = "/console/supervision/organizations/{}/certificates/revoke/"


@pytest.fixture
def regulator(client):
    user = accounts.create_regulator(username="pki-regulator", password=PASSWORD)
    log_in_verified(client, user)
    client.cookies["django_language"] = "en"
    return user


def test_a_regulator_revokes_after_reauthenticating_with_a_note(client, regulator):
    agency = AgencyFactory()
    certificate = services.certificate_issue(organization=agency, now=T0)
    url = URL.format(agency.pk)
    assert "Revoke the signing certificates" in client.get(url).content.decode()
    refused = client.post(url, {"password": "wrong", "reason": "key_compromise", "note": "x"})
    assert refused.status_code == 200
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    no_note = client.post(url, {**reauthentication(regulator), "reason": "key_compromise",
                                "note": " "})
    assert "Give a note on the revocation." in no_note.content.decode()
    done = client.post(url, {**reauthentication(regulator), "reason": "key_compromise",
                             "note": "私钥疑似泄露"})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.revoked_by == regulator
    entry = AuditEntry.objects.get(action="certificate.revoked")
    assert entry.actor == regulator and entry.data["note"] == "私钥疑似泄露"
    assert selectors.revocation_list().get_revoked_certificate_by_serial_number(
        certificate.serial_int) is not None
    again = client.post(url, {**reauthentication(regulator), "reason": "key_compromise",
                              "note": "再次"})
    assert "This organization has no signing certificate in force." in again.content.decode()


def test_other_users_cannot_reach_the_revocation(client):
    agency = AgencyFactory()
    from tests.factories.accounts import member_of

    client.force_login(member_of(agency))
    response = client.get(URL.format(agency.pk))
    assert response.status_code in (302, 403)
