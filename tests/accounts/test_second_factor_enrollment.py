"""Enrolling an authenticator app on the security page: the device counts only once a current
code confirms it, ten recovery codes are shown once (and can be replaced), and removing the
second factor needs the password and a code, refused where it is mandatory."""

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from marketplace.accounts import second_factor
from marketplace.audit.models import AuditEntry
from tests.factories.accounts import (
    PASSWORD,
    give_authenticator,
    log_in_verified,
    member_of,
    totp_code,
)

pytestmark = pytest.mark.django_db

PAGE = "/accounts/security/two-step/"


@pytest.fixture
def person(agency, english):
    user = member_of(agency, username="wangfang")
    english.force_login(user)
    return user


def _start(client):
    assert client.post(f"{PAGE}start/").status_code == 302
    return TOTPDevice.objects.get(confirmed=False)


def test_the_setup_shows_a_qr_code_and_the_secret_and_counts_only_once_confirmed(english,
                                                                                 person):
    assert "Set up an authenticator app" in english.get("/accounts/security/").content.decode()
    device = _start(english)
    page = english.get(PAGE).content.decode()
    assert 'src="data:image/svg+xml' in page  # drawn here, nothing fetched from elsewhere
    assert second_factor.secret_of(device) in page
    assert not second_factor.has_second_factor(person)
    assert not AuditEntry.objects.filter(action="otp.enrolled").exists()


def test_a_wrong_code_does_not_confirm_the_app(english, person):
    device = _start(english)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = english.post(f"{PAGE}confirm/", {"otp_code": wrong})
    assert response.status_code == 403
    assert "That code is not correct or has already been used." in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and not StaticToken.objects.exists()
    assert not AuditEntry.objects.filter(action="otp.enrolled").exists()


def test_a_current_code_confirms_the_app_and_shows_ten_recovery_codes_once(english, person):
    device = _start(english)
    response = english.post(f"{PAGE}confirm/", {"otp_code": totp_code(device)})
    assert response.status_code == 200
    page = response.content.decode()
    codes = list(StaticToken.objects.filter(device__user=person).values_list("token", flat=True))
    assert len(codes) == 10 and all(code.upper() in page for code in codes)
    assert "They are shown only now." in page
    device.refresh_from_db()
    assert device.confirmed and second_factor.has_second_factor(person)
    assert english.session["otp_device_id"] == device.persistent_id  # this session is verified
    entry = AuditEntry.objects.get(action="otp.enrolled")
    assert entry.actor == person and entry.data["recovery_codes"] == 10
    again = english.get(PAGE).content.decode()
    assert not any(code.upper() in again for code in codes)
    assert "10 recovery codes left." in again


def test_new_recovery_codes_replace_the_old_ones(english, person):
    device = give_authenticator(person)
    english.post(f"{PAGE}recovery-codes/", {"otp_code": totp_code(device)})
    first = set(StaticToken.objects.values_list("token", flat=True))
    device.refresh_from_db()
    response = english.post(f"{PAGE}recovery-codes/", {"otp_code": totp_code(device, steps=1)})
    assert response.status_code == 200
    second = set(StaticToken.objects.values_list("token", flat=True))
    assert len(second) == 10 and not first & second
    assert second_factor.verify_code(person, sorted(first)[0]) is None
    assert AuditEntry.objects.filter(action="otp.recovery_regenerated").count() == 2


def test_removing_needs_the_password_and_a_code(english, person):
    device = give_authenticator(person)
    refused = english.post(f"{PAGE}remove/", {"remove-password": "wrong",
                                              "remove-otp_code": totp_code(device)})
    assert refused.status_code == 403
    assert "The password is not correct." in refused.content.decode()
    no_code = english.post(f"{PAGE}remove/", {"remove-password": PASSWORD})
    assert "Enter the current code from your authenticator app" in no_code.content.decode()
    assert second_factor.has_second_factor(person)
    response = english.post(f"{PAGE}remove/", {"remove-password": PASSWORD,
                                               "remove-otp_code": totp_code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert AuditEntry.objects.get(action="otp.removed").actor == person


def test_regulators_cannot_remove_it(english, regulator_user):
    log_in_verified(english, regulator_user)
    device = give_authenticator(regulator_user)
    page = english.get(PAGE).content.decode()
    assert "It is mandatory for your account" in page
    assert "Remove the second factor" not in page
    refused = english.post(f"{PAGE}remove/", {"remove-password": PASSWORD,
                                              "remove-otp_code": totp_code(device)})
    assert refused.status_code == 403
    assert "Two-step verification is mandatory for regulators" in refused.content.decode()
    assert second_factor.has_second_factor(regulator_user)
    assert not AuditEntry.objects.filter(action="otp.removed").exists()
