"""API tokens expire after API_TOKEN_TTL_DAYS without use (sliding), end with a password
change on any path and with "log out everywhere", and each user lists and revokes their own."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.accounts import selectors, services
from marketplace.accounts.models import ApiToken
from marketplace.audit.models import AuditEntry
from tests.factories.accounts import PASSWORD, log_in_verified, member_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Xinmima-2026-tokens"
ME = "/api/v1/me/"


@pytest.fixture
def person(agency):
    return member_of(agency, username="wangfang")


@pytest.fixture
def frozen(time_machine):
    start = timezone.now().replace(microsecond=0)
    time_machine.move_to(start, tick=False)
    return start


def api_with(key: str) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def refusal(response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


def token_login(username: str, password: str = PASSWORD):
    return APIClient().post("/api/v1/auth/token/", {"username": username,
                                                     "password": password}, format="json")


# --- Expiry ---------------------------------------------------------------------------------


def test_a_token_unused_for_the_ttl_expires_with_auth_token_expired(person, frozen,
                                                                     time_machine, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    _token, key = services.api_token_issue(user=person)

    time_machine.move_to(frozen + dt.timedelta(days=30, seconds=-1), tick=False)
    assert api_with(key).get(ME).status_code == 200

    time_machine.move_to(frozen + dt.timedelta(days=60), tick=False)
    response = api_with(key).get(ME)
    assert refusal(response) == (401, "auth.token_expired")
    assert "expired after 30 days without use" in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Token"


def test_each_use_slides_the_expiry_forward(person, frozen, time_machine, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    _token, key = services.api_token_issue(user=person)

    for week in range(1, 13):  # twelve weeks, used weekly: far beyond 30 days, still valid
        time_machine.move_to(frozen + dt.timedelta(weeks=week), tick=False)
        assert api_with(key).get(ME).status_code == 200

    token = ApiToken.objects.get(user=person)
    assert token.last_used_at == frozen + dt.timedelta(weeks=12)
    assert token.expires_at == frozen + dt.timedelta(weeks=12, days=30)


def test_last_used_is_written_at_most_once_a_minute(person, frozen, time_machine):
    _token, key = services.api_token_issue(user=person)
    api = api_with(key)

    time_machine.move_to(frozen + dt.timedelta(seconds=59), tick=False)
    api.get(ME)
    assert ApiToken.objects.get(user=person).last_used_at == frozen

    time_machine.move_to(frozen + dt.timedelta(seconds=61), tick=False)
    api.get(ME)
    assert ApiToken.objects.get(user=person).last_used_at == frozen + dt.timedelta(seconds=61)


def test_an_unknown_key_is_still_drfs_authentication_failed():
    assert refusal(api_with("0" * 40).get(ME)) == (401, "authentication_failed")


def test_the_token_list_shows_when_each_token_expires(person, frozen, settings):
    settings.API_TOKEN_TTL_DAYS = 30
    services.api_token_issue(user=person)

    listed = token_login(person.username).json()
    rows = api_with(listed["token"]).get("/api/v1/auth/tokens/").json()["results"]

    assert len(rows) == 2
    assert {row["expires_at"][:19] for row in rows} == {
        timezone.localtime(frozen + dt.timedelta(days=30)).isoformat()[:19]}
    assert [row["current"] for row in rows] == [True, False]  # newest first
    assert all("token" not in row and "key_hash" not in row for row in rows)


# --- Password changes, on every path --------------------------------------------------------


def test_changing_the_password_on_the_page_revokes_every_token(person):
    keys = [services.api_token_issue(user=person)[1] for _ in range(2)]
    browser = Client()
    browser.force_login(person)

    browser.post("/accounts/password/", {"old_password": PASSWORD,
                                         "new_password1": NEW_PASSWORD,
                                         "new_password2": NEW_PASSWORD})

    for key in keys:
        response = api_with(key).get(ME)
        assert refusal(response) == (401, "auth.token_expired")
        assert "revoked (The password was changed)" in response.json()["detail"]
    entry = AuditEntry.objects.get(action="user.api_tokens_revoked")
    assert entry.data["count"] == 2 and entry.data["because"] == "password_changed"


def test_changing_the_password_through_the_api_revokes_and_returns_a_new_token(person):
    _token, old_key = services.api_token_issue(user=person)

    response = api_with(old_key).post("/api/v1/auth/password/", {
        "old_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json")

    assert response.status_code == 200
    assert refusal(api_with(old_key).get(ME)) == (401, "auth.token_expired")
    assert api_with(response.json()["token"]).get(ME).status_code == 200
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_the_api_password_change_checks_the_old_password(person):
    _token, key = services.api_token_issue(user=person)

    response = api_with(key).post("/api/v1/auth/password/", {
        "old_password": "not-it", "new_password": NEW_PASSWORD}, format="json")

    assert refusal(response) == (400, "invalid")
    assert "old_password" in response.json()
    assert api_with(key).get(ME).status_code == 200


def test_a_superuser_setting_the_password_in_djangos_admin_revokes_the_tokens(person):
    _token, key = services.api_token_issue(user=person)
    admin = get_user_model().objects.create_superuser("root", "root@example.cn", PASSWORD)
    browser = Client()
    log_in_verified(browser, admin)

    response = browser.post(f"/django-admin/auth/user/{person.pk}/password/", {
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})

    assert response.status_code == 302
    assert refusal(api_with(key).get(ME)) == (401, "auth.token_expired")


def test_a_password_reset_revokes_the_tokens(person):
    _token, key = services.api_token_issue(user=person)

    services.password_reset_complete(user=person, password=NEW_PASSWORD)

    assert refusal(api_with(key).get(ME)) == (401, "auth.token_expired")


def test_saving_the_user_without_a_new_password_keeps_the_tokens(person):
    _token, key = services.api_token_issue(user=person)

    person.first_name = "芳"
    person.save()

    assert api_with(key).get(ME).status_code == 200


# --- Log out everywhere ---------------------------------------------------------------------


def test_log_out_everywhere_on_the_page_ends_other_sessions_and_every_token(person):
    keys = [services.api_token_issue(user=person)[1] for _ in range(2)]
    phone = Client()
    phone.force_login(person)
    computer = Client(HTTP_ACCEPT_LANGUAGE="en")
    computer.force_login(person)
    computer.cookies["django_language"] = "en"

    response = computer.post("/accounts/security/log-out-everywhere/", follow=True)

    assert ("Other sessions ended: 1; API tokens revoked: 2. You stay logged in here."
            in response.content.decode())
    assert phone.get("/workspace/").status_code == 302
    assert computer.get("/workspace/").status_code == 200
    assert all(refusal(api_with(key).get(ME)) == (401, "auth.token_expired") for key in keys)
    assert AuditEntry.objects.filter(action="user.logged_out_everywhere", actor=person).exists()


def test_log_out_everywhere_through_the_api_revokes_the_calling_token_too(person):
    browser = Client()
    browser.force_login(person)
    _token, key = services.api_token_issue(user=person)
    _other, other_key = services.api_token_issue(user=person)

    response = api_with(key).post("/api/v1/auth/logout-everywhere/")

    assert response.json() == {"sessions_ended": 1, "tokens_revoked": 2}
    assert refusal(api_with(key).get(ME)) == (401, "auth.token_expired")
    assert refusal(api_with(other_key).get(ME)) == (401, "auth.token_expired")
    assert browser.get("/workspace/").status_code == 302


# --- Listing and revoking one's own ---------------------------------------------------------


def test_the_list_holds_only_the_callers_live_tokens(person, agency):
    mine, key = services.api_token_issue(user=person)
    revoked, _ = services.api_token_issue(user=person)
    services.api_token_revoke(user=person, token_id=revoked.pk)
    services.api_token_issue(user=member_of(agency, username="colleague"))

    rows = api_with(key).get("/api/v1/auth/tokens/").json()

    assert rows["count"] == 1
    assert rows["results"][0]["id"] == mine.pk
    assert rows["results"][0]["prefix"] == key[:8]


def test_a_user_revokes_their_own_token_through_the_api(person):
    _current, key = services.api_token_issue(user=person)
    other, other_key = services.api_token_issue(user=person)

    response = api_with(key).delete(f"/api/v1/auth/tokens/{other.pk}/")

    assert response.status_code == 204
    assert refusal(api_with(other_key).get(ME)) == (401, "auth.token_expired")
    assert api_with(key).get(ME).status_code == 200


def test_nobody_revokes_someone_elses_token_through_the_api(person, agency):
    theirs, their_key = services.api_token_issue(user=member_of(agency, username="colleague"))
    _mine, key = services.api_token_issue(user=person)

    response = api_with(key).delete(f"/api/v1/auth/tokens/{theirs.pk}/")

    assert refusal(response) == (404, "not_found")
    assert api_with(their_key).get(ME).status_code == 200


def test_the_token_endpoints_need_a_login():
    assert refusal(APIClient().get("/api/v1/auth/tokens/")) == (401, "not_authenticated")
    assert refusal(APIClient().post("/api/v1/auth/logout-everywhere/")) == (
        401, "not_authenticated")


def test_a_revoked_token_is_not_listed_on_the_security_page(person):
    token, _key = services.api_token_issue(user=person)
    services.api_token_revoke(user=person, token_id=token.pk)
    browser = Client()
    browser.force_login(person)

    page = browser.get("/accounts/security/").content.decode()

    assert f"{token.prefix}…" not in page
    assert not selectors.api_tokens(person).exists()


# --- Tokens made before this change ---------------------------------------------------------


def test_drf_tokens_from_before_keep_working_after_the_migration(person):
    from importlib import import_module

    migration = import_module("marketplace.accounts.migrations.0007_keep_drf_tokens_valid")
    old_key = "7ca7766b75d844647b13d4afb5f286936510dce0"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
                       "user_id integer NOT NULL, created timestamp with time zone NULL)"
                       if connection.vendor == "postgresql" else
                       "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
                       "user_id integer NOT NULL, created datetime NULL)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)",
                       [old_key, person.pk, timezone.now() - dt.timedelta(days=400)])

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    from django.apps import apps
    migration.copy_drf_tokens(apps, editor)

    assert api_with(old_key).get(ME).json()["username"] == person.username
    copied = ApiToken.objects.get(user=person)
    assert copied.prefix == old_key[:8]
    assert copied.created_at < timezone.now() - dt.timedelta(days=399)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
        cursor.execute("DROP TABLE authtoken_token")
