"""Token login (`POST auth/token/`) and `GET me/`."""

import pytest
from rest_framework.test import APIClient

from marketplace.accounts.models import ApiToken
from marketplace.accounts.tokens import hash_key
from tests.conftest import client_for
from tests.factories.accounts import PASSWORD, UserFactory, member_of

pytestmark = pytest.mark.django_db



def test_right_password_returns_a_token_that_works(api_client, agency_admin):
    response = api_client.post("/api/v1/auth/token/",
                               {"username": agency_admin.username, "password": PASSWORD},
                               format="json")

    assert response.status_code == 200
    issued = response.json()
    token = ApiToken.objects.get(user=agency_admin)
    assert (issued["id"], issued["prefix"]) == (token.pk, issued["token"][:8])
    assert token.key_hash == hash_key(issued["token"])  # the key itself is not stored
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issued['token']}")
    assert api.get("/api/v1/me/").json()["username"] == agency_admin.username


def test_asking_twice_issues_two_tokens_that_both_work(api_client, agency_admin):
    credentials = {"username": agency_admin.username, "password": PASSWORD}

    first = api_client.post("/api/v1/auth/token/", credentials, format="json").json()
    second = api_client.post("/api/v1/auth/token/", credentials, format="json").json()

    assert first["token"] != second["token"]
    assert ApiToken.objects.filter(user=agency_admin).count() == 2


@pytest.mark.parametrize("username,password", [("right", "wrong-password"),
                                               ("nobody", PASSWORD)])
def test_wrong_credentials_are_a_403_with_detail(api_client, agency, username, password):
    user = member_of(agency, username="right")
    if username == "right":
        username = user.username

    response = api_client.post("/api/v1/auth/token/",
                               {"username": username, "password": password}, format="json",
                               HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert response.json()["code"] == "auth.wrong_credentials"
    assert response.json() == {"detail": "Wrong user name or password.",
                               "code": "auth.wrong_credentials"}
    assert not ApiToken.objects.exists()


def test_wrong_credentials_message_is_chinese_by_default(api_client, agency_admin):
    response = api_client.post("/api/v1/auth/token/",
                               {"username": agency_admin.username, "password": "nope"},
                               format="json")

    assert response.json() == {"detail": "用户名或密码错误。", "code": "auth.wrong_credentials"}


def test_missing_password_is_a_400_on_password(api_client):
    response = api_client.post("/api/v1/auth/token/", {"username": "someone"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "password" in response.json()


def test_me_without_authentication_is_401(api_client):
    response = api_client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert "detail" in response.json()
    assert response["WWW-Authenticate"] == "Token"


def test_me_with_a_bad_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    refusal = client.get("/api/v1/me/")
    assert (refusal.status_code, refusal.json()["code"]) == (401, "authentication_failed")


def test_me_describes_the_user_organization_and_role(agency, agency_admin):
    response = client_for(agency_admin).get("/api/v1/me/")

    assert response.status_code == 200
    me = response.json()
    assert me["username"] == agency_admin.username
    assert me["role"] == "admin"
    organization = me["organization"]
    assert organization["id"] == agency.pk
    assert organization["name"] == agency.name
    assert organization["kind"] == "agency"
    assert organization["uscc"] == agency.uscc
    assert organization["status"] == "active"


def test_me_works_with_the_page_session_too(client, owner):
    staff = member_of(owner, role="staff")
    client.force_login(staff)

    me = client.get("/api/v1/me/").json()

    assert (me["username"], me["role"], me["organization"]["kind"]) == (
        staff.username, "staff", "owner")


def test_me_of_a_user_without_organization_has_nulls():
    user = UserFactory()

    me = client_for(user).get("/api/v1/me/").json()

    assert me == {"username": user.username, "organization": None, "role": None}
