"""The login's second step: after a correct password, a user with an authenticator app is not
logged in until they enter a current code or a recovery code (used up); wrong codes count as
failed logins for the lockout."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests.factories.accounts import PASSWORD, give_authenticator, member_of, totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"


@pytest.fixture
def person(agency):
    return member_of(agency, username="liuyang")


@pytest.fixture
def browser():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def _password(browser, username="liuyang", next_url=""):
    return browser.post(LOGIN, {"username": username, "password": PASSWORD, "next": next_url})


def _logged_in(browser) -> bool:
    return "_auth_user_id" in browser.session


def test_a_user_without_an_authenticator_logs_in_with_the_password_alone(browser, person):
    response = _password(browser)
    assert response.status_code == 302 and response["Location"] == "/workspace/"
    assert _logged_in(browser)


def test_the_password_alone_does_not_log_in_a_user_with_an_authenticator(browser, person):
    device = give_authenticator(person)
    response = _password(browser, next_url="/accounts/security/")
    assert response.status_code == 302 and response["Location"] == CODE
    assert not _logged_in(browser)
    page = browser.get(CODE).content.decode()
    assert "Your password was correct. Enter the code your authenticator app shows" in page
    done = browser.post(CODE, {"otp_code": totp_code(device)})
    assert done.status_code == 302 and done["Location"] == "/accounts/security/"
    assert _logged_in(browser)
    assert browser.session["otp_device_id"] == device.persistent_id


def test_a_wrong_code_is_refused_and_counts_as_a_failed_login(browser, person):
    device = give_authenticator(person)
    _password(browser)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = browser.post(CODE, {"otp_code": wrong})
    assert response.status_code == 403
    assert "That code is not correct or has already been used." in response.content.decode()
    assert not _logged_in(browser)
    assert AccessAttempt.objects.get(username="liuyang").failures_since_start == 1
    blank = browser.post(CODE, {"otp_code": ""})
    assert "Enter the current code from your authenticator app" in blank.content.decode()
    assert not _logged_in(browser)


def test_wrong_codes_lock_the_login_like_wrong_passwords(browser, person, settings):
    settings.AXES_FAILURE_LIMIT = 3
    give_authenticator(person)
    _password(browser)
    for _attempt in range(2):
        assert browser.post(CODE, {"otp_code": "000000"}).status_code == 403
    locked = browser.post(CODE, {"otp_code": "000000"})
    assert locked.status_code == 429
    assert "Too many failed log-in attempts." in locked.content.decode()
    assert not _logged_in(browser)


def test_a_recovery_code_logs_in_once(browser, person, time_machine):
    from django.utils import timezone

    from marketplace.accounts import services

    time_machine.move_to(timezone.now())
    device = give_authenticator(person)
    codes = services.otp_recovery_regenerate(user=person, otp_code=totp_code(device))
    _password(browser)
    assert browser.post(CODE, {"otp_code": codes[0].upper()}).status_code == 302
    assert _logged_in(browser)
    browser.post("/accounts/logout/")
    time_machine.shift(dt.timedelta(minutes=1))
    _password(browser)
    again = browser.post(CODE, {"otp_code": codes[0]})
    assert again.status_code == 403 and not _logged_in(browser)
    assert "has already been used" in again.content.decode()


def test_the_code_step_without_a_password_first_goes_back_to_the_login(browser, person):
    response = browser.post(CODE, {"otp_code": "123456"})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not _logged_in(browser)
