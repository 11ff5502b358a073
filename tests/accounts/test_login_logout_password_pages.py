"""Logging in and out, and changing the password, on the pages."""

import pytest
from django.urls import reverse

from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Huanmima-2026-new"


def test_login_page_logs_in_and_goes_to_the_workspace(client, agency_admin):
    assert client.get("/accounts/login/").status_code == 200

    response = client.post("/accounts/login/",
                           {"username": agency_admin.username, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("workspace")
    assert int(client.session["_auth_user_id"]) == agency_admin.pk


def test_login_follows_next(client, agency_admin):
    response = client.post("/accounts/login/?next=/workspace/inbox/",
                           {"username": agency_admin.username, "password": PASSWORD,
                            "next": "/workspace/inbox/"})

    assert response.url == "/workspace/inbox/"


def test_wrong_password_on_the_login_page_is_a_form_error_in_chinese(client, agency_admin):
    response = client.post("/accounts/login/",
                           {"username": agency_admin.username, "password": "wrong-one"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "请输入一个正确的" in response.content.decode()  # Django's own translation


def test_wrong_password_on_the_login_page_in_english(english, agency_admin):
    response = english.post("/accounts/login/",
                            {"username": agency_admin.username, "password": "wrong-one"})

    assert "Please enter a correct" in response.content.decode()


def test_workspace_needs_a_login(client):
    response = client.get("/workspace/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_logout_ends_the_session(client, agency_admin):
    client.force_login(agency_admin)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response.url == "/"
    assert "_auth_user_id" not in client.session
    assert client.get("/workspace/").status_code == 302


def test_logout_is_a_post_only(client, agency_admin):
    client.force_login(agency_admin)

    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session


def test_password_change_page_changes_the_password(client, agency_admin):
    client.force_login(agency_admin)
    assert client.get("/accounts/password/").status_code == 200

    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_changed")
    assert client.get(response.url).status_code == 200
    agency_admin.refresh_from_db()
    assert agency_admin.check_password(NEW_PASSWORD)
    assert "_auth_user_id" in client.session  # still logged in after the change


def test_password_change_needs_the_old_password(client, agency_admin):
    client.force_login(agency_admin)

    response = client.post("/accounts/password/", {
        "old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    agency_admin.refresh_from_db()
    assert agency_admin.check_password(PASSWORD)


def test_password_change_page_needs_a_login(client):
    assert client.get("/accounts/password/").status_code == 302
