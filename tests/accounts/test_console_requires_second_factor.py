"""The console and Django's admin need a session verified by the second factor for regulators
and superusers; a regulator without an authenticator is sent to set one up first. The API
token asks for `otp_code` from a user with an authenticator and refuses a regulator without."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from marketplace.accounts import services
from tests.factories.accounts import PASSWORD, give_authenticator, member_of, totp_code

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def browser():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def regulator_account(db):
    return services.create_regulator(username="zhou-reg", password=PASSWORD)


def test_a_regulator_without_an_authenticator_is_sent_to_set_one_up(browser,
                                                                    regulator_account):
    browser.force_login(regulator_account)
    response = browser.get("/console/", follow=True)
    assert response.redirect_chain[0][0] == "/accounts/security/two-step/?next=%2Fconsole%2F"
    page = response.content.decode()
    assert "The console needs two-step verification for regulators" in page
    assert "Set up an authenticator app" in page


def test_an_unverified_session_is_asked_for_the_code_then_enters(browser, regulator_account):
    device = give_authenticator(regulator_account)
    browser.force_login(regulator_account)  # e.g. through Wagtail's own login form
    response = browser.get("/console/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/?next=%2Fconsole%2F"
    page = browser.get(response["Location"]).content.decode()
    assert "This part of the site needs two-step verification." in page
    verified = browser.post("/accounts/login/code/", {"otp_code": totp_code(device),
                                                      "next": "/console/"})
    assert verified["Location"] == "/console/"
    assert browser.get("/console/").status_code == 200


def test_djangos_admin_refuses_an_unverified_superuser(browser, admin_user):
    browser.force_login(admin_user)
    refused = browser.get("/django-admin/")
    assert refused.status_code == 302
    assert refused["Location"].startswith("/accounts/security/two-step/")
    device = give_authenticator(admin_user)
    assert browser.get("/django-admin/")["Location"].startswith("/accounts/login/code/")
    browser.post("/accounts/login/code/", {"otp_code": totp_code(device)})
    assert browser.get("/django-admin/").status_code == 200


def test_the_api_token_needs_the_code_of_a_user_with_an_authenticator(agency):
    person = member_of(agency, username="sunli")
    device = give_authenticator(person)
    api = APIClient()
    missing = api.post(TOKEN, {"username": "sunli", "password": PASSWORD}, format="json")
    assert (missing.status_code, missing.json()["code"]) == (403, "otp.code_required")
    wrong = api.post(TOKEN, {"username": "sunli", "password": PASSWORD, "otp_code": "000000"},
                     format="json")
    assert (wrong.status_code, wrong.json()["code"]) == (403, "otp.code_invalid")
    device.throttle_reset()
    issued = api.post(TOKEN, {"username": "sunli", "password": PASSWORD,
                              "otp_code": totp_code(device)}, format="json")
    assert issued.status_code == 200 and issued.json()["token"]


def test_the_api_token_is_refused_to_a_regulator_without_an_authenticator(regulator_account):
    refused = APIClient().post(TOKEN, {"username": "zhou-reg", "password": PASSWORD},
                               format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert (refused.status_code, refused.json()["code"]) == (403, "otp.enrollment_required")
    assert "Set up an authenticator app" in refused.json()["detail"]


@pytest.mark.parametrize("login", ["/console/login/", "/django-admin/login/"])
def test_the_consoles_own_login_forms_ask_for_the_code_too(browser, regulator_account, login):
    give_authenticator(regulator_account)
    response = browser.post(login, {"username": "zhou-reg", "password": PASSWORD,
                                    "next": "/console/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in browser.session
