"""Registration refuses weak passwords and user names already taken, creating nothing."""

import pytest

from tests.accounts.helpers import counts, registration_data
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db



@pytest.mark.parametrize("password", ["12345678", "password", "qingyuan_admin"])
def test_weak_password_is_a_400_on_password_and_creates_nothing(api_client, password):
    before = counts()

    response = api_client.post("/api/v1/register/agency/", registration_data(password=password),
                               format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    body = response.json()
    assert body.pop("code") == "invalid"
    assert list(body) == ["password"]
    assert counts() == before


def test_weak_password_message_speaks_english_when_asked(api_client):
    response = api_client.post("/api/v1/register/agency/", registration_data(password="12345678"),
                               format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert "This password is too common." in response.json()["password"][0]
    assert "This password is entirely numeric." in response.json()["password"][0]


def test_weak_password_message_is_chinese_by_default(api_client):
    # Django's own translation.
    response = api_client.post("/api/v1/register/agency/", registration_data(password="12345678"),
                               format="json")

    assert "这个密码太常见了。" in response.json()["password"][0]


def test_too_short_password_message_is_chinese_by_default(api_client):
    # Django 5.2 changed this msgid (now "%d"); its zh_Hans catalog does not have it yet, so the
    # project catalog must carry it.
    response = api_client.post("/api/v1/register/agency/", registration_data(password="Xq7#k"),
                               format="json")

    assert "密码长度太短。密码必须包含至少 8 个字符。" in response.json()["password"][0]


def test_weak_password_on_the_page_is_a_form_error(client):
    before = counts()

    response = client.post("/accounts/register/agency/", registration_data(password="12345678"))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["password"]
    assert counts() == before


@pytest.mark.parametrize("taken", ["qingyuan_admin", "QingYuan_Admin"])
def test_duplicate_user_name_is_a_400_on_username(api_client, taken):
    UserFactory(username="qingyuan_admin")
    before = counts()

    response = api_client.post("/api/v1/register/agency/", registration_data(username=taken),
                               format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["code"] == "account.username_taken"
    assert response.json() == {"username": ["This user name is taken; please choose another."],
                               "code": "account.username_taken"}
    assert counts() == before


def test_duplicate_user_name_message_is_chinese_by_default(api_client):
    UserFactory(username="qingyuan_admin")

    response = api_client.post("/api/v1/register/agency/", registration_data(), format="json")

    assert response.json() == {"username": ["该用户名已被使用，请换一个。"],
                               "code": "account.username_taken"}


def test_duplicate_user_name_on_the_page_is_a_form_error(client, english):
    UserFactory(username="qingyuan_admin")

    response = english.post("/accounts/register/agency/", registration_data())

    assert response.context["form"].errors["username"] == [
        "This user name is taken; please choose another."
    ]


@pytest.mark.parametrize("username", ["has space", "semi;colon", "slash/name", ""])
def test_user_name_must_use_plain_characters(api_client, username):
    response = api_client.post("/api/v1/register/agency/", registration_data(username=username),
                               format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "username" in response.json()
