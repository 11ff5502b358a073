"""A malformed USCC, a wrong check character or a USCC already registered is refused on `uscc`,
in the user's language, and nothing at all is created (API.md "Auth and registration")."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape

from marketplace.accounts.models import Organization
from marketplace.accounts.validators import normalize_uscc
from tests.accounts.helpers import counts, registration_data
from tests.factories.accounts import AgencyFactory, make_uscc

pytestmark = pytest.mark.django_db

VALID = make_uscc(7001)
WRONG_CHECK = VALID[:17] + ("0" if VALID[17] != "0" else "1")

ENGLISH = {
    "length": "A unified social credit code has 18 characters; this one has 16.",
    "format": "This is not a valid unified social credit code: it may contain only digits and "
              "the capital letters used by GB 32100 (no I, O, Z, S, V).",
    "checksum": "The check character (the 18th) of this unified social credit code is wrong: "
                "please check the code for a typing error.",
    "duplicate": "An organization with this unified social credit code is already registered.",
}
# The translations proposed for the zh_Hans catalog (see the report of issue #2).
CHINESE = {
    "length": "统一社会信用代码应为18位，当前输入为16位。",
    "format": "统一社会信用代码格式不正确：只能包含数字和GB 32100规定的大写字母"
              "（不含I、O、Z、S、V）。",
    "checksum": "统一社会信用代码的校验码（第18位）不正确，请检查是否输入有误。",
    "duplicate": "该统一社会信用代码已被注册。",
}
# The code each refusal is named by: a malformed code is invalid input, a taken one a rule.
CODES = {"length": "invalid", "format": "invalid", "checksum": "invalid",
         "duplicate": "org.uscc_registered"}
CASES = {
    "length": VALID[:16],
    "format": "91500000MA5UI0000X",  # I is not in the GB 32100 alphabet
    "checksum": WRONG_CHECK,
    "duplicate": VALID,
}


@pytest.fixture
def already_registered():
    return AgencyFactory(uscc=VALID)


def _prepare(case, request):
    if case == "duplicate":
        request.getfixturevalue("already_registered")
    return counts()


@pytest.mark.parametrize("case", CASES)
def test_normalize_uscc_says_what_is_wrong(case):
    if case == "duplicate":
        assert normalize_uscc(CASES[case]) == VALID
        return
    with pytest.raises(ValidationError) as refused:
        normalize_uscc(CASES[case])
    assert refused.value.code == {"length": "uscc_length", "format": "uscc_format",
                                  "checksum": "uscc_checksum"}[case]


@pytest.mark.parametrize("case", CASES)
def test_api_refuses_on_uscc_in_english_and_creates_nothing(case, api_client, request):
    before = _prepare(case, request)

    response = api_client.post("/api/v1/register/agency/",
                               registration_data(uscc=CASES[case]), format="json",
                               HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"uscc": [ENGLISH[case]], "code": CODES[case]}
    assert counts() == before


@pytest.mark.parametrize("case", CASES)
def test_api_refuses_on_uscc_by_default_and_creates_nothing(case, api_client, request):
    before = _prepare(case, request)

    response = api_client.post("/api/v1/register/agency/",
                               registration_data(uscc=CASES[case]), format="json")

    assert response.status_code == 400
    body = response.json()
    assert body.pop("code") == CODES[case]
    assert list(body) == ["uscc"]
    assert counts() == before


@pytest.mark.parametrize("case", CASES)
def test_api_refusal_is_in_chinese_by_default(case, api_client, request):
    _prepare(case, request)

    response = api_client.post("/api/v1/register/agency/",
                               registration_data(uscc=CASES[case]), format="json")

    assert response.json() == {"uscc": [CHINESE[case]], "code": CODES[case]}


@pytest.mark.parametrize("case", CASES)
def test_page_shows_the_refusal_on_the_uscc_field_in_english(case, english, request):
    before = _prepare(case, request)

    response = english.post("/accounts/register/agency/", registration_data(uscc=CASES[case]))

    assert response.status_code == 200
    assert response.context["form"].errors["uscc"] == [ENGLISH[case]]
    assert escape(ENGLISH[case]) in response.content.decode()
    assert '<html lang="en">' in response.content.decode()
    assert counts() == before
    assert "_auth_user_id" not in english.session


@pytest.mark.parametrize("case", CASES)
def test_page_refuses_by_default_and_creates_nothing(case, client, request):
    before = _prepare(case, request)

    response = client.post("/accounts/register/agency/", registration_data(uscc=CASES[case]))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["uscc"]
    assert '<html lang="zh-hans">' in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize("case", CASES)
def test_page_refusal_is_in_chinese_by_default(case, client, request):
    _prepare(case, request)

    response = client.post("/accounts/register/agency/", registration_data(uscc=CASES[case]))

    assert response.context["form"].errors["uscc"] == [CHINESE[case]]


def test_page_switched_to_english_through_setlang_shows_english_errors(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/register/agency/"})

    response = client.post("/accounts/register/agency/", registration_data(uscc=WRONG_CHECK))

    assert response.context["form"].errors["uscc"] == [ENGLISH["checksum"]]


def test_a_second_registration_with_the_same_code_in_lower_case_is_a_duplicate(api_client):
    AgencyFactory(uscc=VALID)

    response = api_client.post("/api/v1/register/owner/",
                               registration_data(uscc=VALID.lower(), owner_kind="enterprise"),
                               format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json() == {"uscc": [ENGLISH["duplicate"]], "code": "org.uscc_registered"}


def test_an_organization_removed_from_the_market_cannot_register_again_during_the_ban(
        api_client):
    ban_ends = timezone.now() + dt.timedelta(days=400)
    AgencyFactory(uscc=VALID, status=Organization.Status.EXITED, exit_until=ban_ends)
    before = counts()

    response = api_client.post("/api/v1/register/agency/", registration_data(uscc=VALID),
                               format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["code"] == "org.exit_period"
    date = timezone.localtime(ban_ends).date().isoformat()
    assert response.json() == {"uscc": [
        "This organization was removed from the market and cannot register again before "
        f"{date}."], "code": "org.exit_period"}
    assert counts() == before
