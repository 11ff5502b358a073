"""Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failures for a user name or from
an IP address within the window, logging in is refused (the page and `auth/token/`, 429 with
when to retry) even with the right password; a successful login forgets the user's failures;
a regulator hears of a lockout on their account."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.notifications.models import Notification
from tests.factories.accounts import PASSWORD, member_of

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
LOCKED = "Too many failed log-in attempts. Logging in is paused until"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)


@pytest.fixture
def person(agency):
    return member_of(agency, username="zhaolei")


@pytest.fixture
def frozen(time_machine):
    start = timezone.now().replace(second=0, microsecond=0)
    time_machine.move_to(start, tick=False)
    return start


def browser(ip="10.1.1.1") -> Client:
    page = Client(REMOTE_ADDR=ip)
    page.cookies["django_language"] = "en"
    return page


def log_in(page: Client, username: str, password: str):
    return page.post(LOGIN, {"username": username, "password": password})


def token_login(username: str, password: str, ip="10.1.1.1"):
    return APIClient(REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE="en").post(
        TOKEN, {"username": username, "password": password}, format="json")


def fail(times: int, username: str, *, ip="10.1.1.1"):
    page = browser(ip)
    return [log_in(page, username, f"wrong-{n}") for n in range(times)]


def test_five_wrong_passwords_lock_the_page_login_even_with_the_right_one(person, frozen):
    tries = fail(4, person.username)
    assert all(t.status_code == 200 for t in tries)  # the usual form error until the fifth

    fifth = fail(1, person.username)[0]
    right = log_in(browser(), person.username, PASSWORD)

    for response in (fifth, right):
        page = response.content.decode()
        assert response.status_code == 429
        assert LOCKED in page
        until = timezone.localtime(frozen + dt.timedelta(minutes=15)).strftime("%H:%M")
        assert f"paused until {until} (about 15 minutes)" in page
        assert response["Retry-After"] == "900"
        assert 'name="username"' in page  # the login form is still there, to try later
    assert "_auth_user_id" not in browser().session


def test_the_lockout_shows_on_the_login_page_in_the_default_language_too(person):
    fail(5, person.username)

    response = Client(REMOTE_ADDR="10.1.1.1").post(LOGIN, {"username": person.username,
                                                           "password": PASSWORD})

    assert response.status_code == 429
    assert 'id="lockout"' in response.content.decode()


def test_the_token_endpoint_answers_429_with_code_and_retry_after(person, frozen):
    for n in range(4):
        refused = token_login(person.username, f"wrong-{n}")
        assert refused.json()["code"] == "auth.wrong_credentials"

    fifth = token_login(person.username, "wrong-again")
    right = token_login(person.username, PASSWORD)

    for response in (fifth, right):
        body = response.json()
        assert response.status_code == 429
        assert body["code"] == "auth.locked_out"
        assert body["detail"].startswith(LOCKED)
        assert body["retry_after"] == 900 and response["Retry-After"] == "900"
        assert "token" not in body


def test_failures_on_the_page_and_the_api_add_up(person):
    fail(3, person.username)
    token_login(person.username, "wrong-a")

    assert token_login(person.username, "wrong-b").status_code == 429
    assert log_in(browser(), person.username, PASSWORD).status_code == 429


def test_a_successful_login_forgets_the_failures(person):
    fail(4, person.username)
    assert log_in(browser(), person.username, PASSWORD).status_code == 302

    tries = fail(4, person.username)

    assert all(t.status_code == 200 for t in tries)
    assert log_in(browser(), person.username, PASSWORD).status_code == 302


def test_a_successful_token_login_forgets_the_failures_too(person):
    fail(4, person.username)
    assert token_login(person.username, PASSWORD).status_code == 200

    fail(4, person.username)

    assert token_login(person.username, PASSWORD).status_code == 200


def test_one_address_trying_many_user_names_is_locked_for_all_of_them(person, agency):
    for n in range(5):
        fail(1, f"guess{n}", ip="10.6.6.6")

    from_there = log_in(browser("10.6.6.6"), person.username, PASSWORD)
    from_elsewhere = log_in(browser("10.7.7.7"), person.username, PASSWORD)

    assert from_there.status_code == 429 and LOCKED in from_there.content.decode()
    assert token_login(person.username, PASSWORD, ip="10.6.6.6").status_code == 429
    assert from_elsewhere.status_code == 302  # the user name itself was never guessed


def test_one_user_name_guessed_from_many_addresses_is_locked_everywhere(person):
    for n in range(5):
        fail(1, person.username, ip=f"10.2.2.{n}")

    assert log_in(browser("10.3.3.3"), person.username, PASSWORD).status_code == 429


def test_the_lock_lifts_after_the_window(person, frozen, time_machine):
    fail(5, person.username)

    time_machine.move_to(frozen + dt.timedelta(minutes=15, seconds=1), tick=False)

    assert log_in(browser(), person.username, PASSWORD).status_code == 302


def test_a_regulator_is_notified_once_of_a_lockout_on_their_account(regulator_user):
    fail(5, regulator_user.username)
    fail(2, regulator_user.username)  # refused while locked: no second notice

    notices = Notification.objects.filter(user=regulator_user, kind="security.lockout")
    assert notices.count() == 1
    assert "10.1.1.1" in notices.get().body
    assert notices.get().url == "/accounts/security/"


def test_other_users_are_not_sent_lockout_notices(person):
    fail(5, person.username)

    assert not Notification.objects.filter(kind="security.lockout").exists()


def test_a_password_reset_lifts_the_lock_on_the_user_name(person):
    from marketplace.accounts import services

    fail(5, person.username)
    new_password = "Chongzhi-2026-unlock"

    services.password_reset_complete(user=person, password=new_password)

    assert log_in(browser("10.9.9.9"), person.username, new_password).status_code == 302


def test_the_consoles_login_is_throttled_too(regulator_user):
    console = browser()
    for n in range(5):
        console.post("/console/login/", {"username": regulator_user.username,
                                         "password": f"wrong-{n}"})

    response = console.post("/console/login/", {"username": regulator_user.username,
                                                "password": PASSWORD})

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
