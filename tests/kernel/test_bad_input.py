"""Bad input found by the security probe (issue #13 §1): never a 500, always a clear answer.

Id filters (`marketplace.params`): the API refuses an id that is not a whole number from 1 to
2⁶³−1 with 400 `filter.invalid_id` naming the parameter; a page ignores the filter and says so.
"""

import pytest
from django.test import Client

from marketplace.accounts import services as accounts
from tests.conftest import client_for
from tests.factories.accounts import PASSWORD
from tests.factories.bidding import published_project
from tests.factories.cases import complaint
from tests.factories.contracts import active_contract

pytestmark = pytest.mark.django_db

TOO_BIG = "99999999999999999999"
BAD_IDS = [TOO_BIG, "9223372036854775808", "0", "-1", "1.5", "abc", "１２"]


def english(client):
    client.cookies["django_language"] = "en"
    return client


def api_get(client, url):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize("value", BAD_IDS)
@pytest.mark.parametrize(("url", "name"), [
    ("/api/v1/projects/", "owner"),
    ("/api/v1/contracts/", "owner"),
    ("/api/v1/contracts/", "agency"),
    ("/api/v1/complaints/", "subject"),
])
def test_the_api_refuses_an_id_filter_out_of_range_with_filter_invalid_id(
        url, name, value, regulator_user):
    response = api_get(client_for(regulator_user), f"{url}?{name}={value}")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "filter.invalid_id"
    assert body[name] == ["Not a valid id: a whole number from 1 to 9223372036854775807."]


def test_the_largest_id_is_still_a_filter_that_finds_nothing(regulator_user):
    published_project()

    response = api_get(client_for(regulator_user), "/api/v1/projects/?owner=9223372036854775807")

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_good_id_filter_still_filters_contracts_by_party(regulator_user):
    contract = active_contract()
    client = client_for(regulator_user)

    mine = api_get(client, f"/api/v1/contracts/?agency={contract.agency_id}").json()
    other = api_get(client, f"/api/v1/contracts/?agency={contract.owner_id}").json()

    assert [c["id"] for c in mine["results"]] == [contract.pk]
    assert other["results"] == []


def test_the_projects_page_answers_with_an_owner_id_out_of_range(client):
    """The page offers no owner filter (an id means nothing to a person): it is not applied."""
    project = published_project(title="環評項目")

    response = client.get(f"/projects/?owner={TOO_BIG}")

    assert response.status_code == 200
    assert project.title in response.content.decode()


def test_the_public_complaints_page_ignores_a_bad_subject_and_says_so(client):
    decided = complaint()

    response = english(client).get(f"/complaints/?subject={TOO_BIG}")

    assert response.status_code == 200
    page = response.content.decode()
    assert "The filter “subject” was ignored: “99999999999999999999” is not a valid id." in page
    assert decided is not None


def test_the_complaint_form_ignores_a_bad_subject_link(agency_admin, client):
    client.force_login(agency_admin)

    response = english(client).get(f"/complaints/new/?subject={TOO_BIG}")

    assert response.status_code == 200
    assert "is not a valid id." in response.content.decode()


def test_the_case_form_ignores_a_bad_respondent_link(owner_admin, client):
    client.force_login(owner_admin)

    response = english(client).get(f"/workspace/cases/new/?respondent={TOO_BIG}")

    assert response.status_code == 200
    assert "The filter “respondent” was ignored" in response.content.decode()


def test_the_console_credit_events_ignore_a_bad_organization(client):
    regulator = accounts.create_regulator(username="probe-regulator", password=PASSWORD)
    client.force_login(regulator)

    response = english(client).get(f"/console/supervision/credit-events/?organization={TOO_BIG}")

    assert response.status_code == 200
    assert "The filter “organization” was ignored" in response.content.decode()


def test_a_page_never_crashes_on_a_path_id_out_of_range(regulator_user):
    """Path ids (`<int:pk>`) reach exact primary-key lookups, which Django answers as empty."""
    client = Client(raise_request_exception=False)
    client.force_login(regulator_user)

    for url in (f"/projects/{TOO_BIG}/", f"/api/v1/projects/{TOO_BIG}/",
                f"/api/v1/bids/{TOO_BIG}/", f"/workspace/complaints/{TOO_BIG}/"):
        assert client.get(url).status_code == 404, url
