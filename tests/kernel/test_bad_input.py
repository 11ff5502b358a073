"""Bad input found by the security probe (issue #13 §1): never a 500, always a clear answer.

Id filters (`marketplace.params`): the API refuses an id that is not a whole number from 1 to
2⁶³−1 with 400 `filter.invalid_id` naming the parameter; a page ignores the filter and says so.
"""

import datetime as dt

import pytest
from django.test import Client

from bidding.forms.agency import BidForm
from bidding.models import Project
from bidding.services.questions import question_ask
from marketplace.accounts import services as accounts
from marketplace.limits import TEXT_LIMITS, TextTooLong, check_text_length
from ratings.models import BlacklistEntry
from tests.bidding.conftest import api_as
from tests.conftest import client_for
from tests.factories.accounts import (
    PASSWORD,
    AgencyFactory,
    OwnerFactory,
    in_regulators_group,
    log_in_verified,
)
from tests.factories.bidding import agency_offering, published_project, user_of
from tests.factories.cases import complaint
from tests.factories.contracts import active_contract
from tests.factories.files import pdf as pdf_upload
from tests.factories.owner_pages import browser_as, project_form_data

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
    log_in_verified(client, regulator)

    response = english(client).get(f"/console/supervision/credit-events/?organization={TOO_BIG}")

    assert response.status_code == 200
    assert "The filter “organization” was ignored" in response.content.decode()


def test_a_page_never_crashes_on_a_path_id_out_of_range(regulator_user):
    """Path ids (`<int:pk>`) reach exact primary-key lookups, which Django answers as empty."""
    client = Client(raise_request_exception=False)
    log_in_verified(client, in_regulators_group(regulator_user))

    for url in (f"/projects/{TOO_BIG}/", f"/api/v1/projects/{TOO_BIG}/",
                f"/api/v1/bids/{TOO_BIG}/",
                f"/console/supervision/complaints/{TOO_BIG}/"):
        assert client.get(url).status_code == 404, url


# --- Dates out of range (marketplace.dates): a clear 400, never "date value out of range" ---

DATE_REFUSAL = "Enter a date between the years 2000 and 2100."


def _later(days=90):
    return dt.datetime.now(dt.UTC) + dt.timedelta(days=days)


@pytest.mark.parametrize("ends_at", ["0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00",
                                     "9999-12-31T23:59:00+08:00", "1999-12-31T23:00:00Z"])
def test_the_blacklist_api_refuses_an_end_date_out_of_range(ends_at, regulator_user):
    agency = AgencyFactory()

    response = client_for(regulator_user).post("/api/v1/blacklist/", {
        "organization": agency.pk, "reason": "违规", "basis": "决定书", "ends_at": ends_at},
        format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "date.out_of_range"
    assert "ends_at" in body
    assert not BlacklistEntry.objects.exists()


def test_the_blacklist_api_names_the_range_for_year_one(regulator_user):
    agency = AgencyFactory()

    response = client_for(regulator_user).post("/api/v1/blacklist/", {
        "organization": agency.pk, "reason": "违规", "basis": "决定书",
        "ends_at": "0001-01-01T00:00:00"}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json() == {"ends_at": [DATE_REFUSAL], "code": "date.out_of_range"}


def test_the_console_blacklist_form_refuses_year_one(client):
    regulator = accounts.create_regulator(username="date-regulator", password=PASSWORD)
    agency = AgencyFactory()
    log_in_verified(client, regulator)

    response = english(client).post("/console/supervision/blacklist/new/", {
        "organization": agency.pk, "reason": "违规", "basis": "决定书",
        "ends_at": "0001-01-01T00:00"})

    assert response.status_code == 200
    assert DATE_REFUSAL in response.content.decode()
    assert not BlacklistEntry.objects.exists()


def test_the_project_form_refuses_a_year_one_deadline_and_shows_the_range():
    owner = OwnerFactory()
    data = project_form_data(deadline=_later(5))
    data["bid_deadline"] = "0001-01-01T00:00"

    response = browser_as(owner).post("/workspace/projects/new/", data)

    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert DATE_REFUSAL in page
    assert 'max="2100-12-31T23:59"' in page
    assert not Project.objects.filter(owner=owner).exists()


@pytest.mark.parametrize("deadline", ["0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00Z"])
def test_the_project_api_refuses_a_year_one_deadline(deadline):
    owner = OwnerFactory()

    response = api_as(owner).post("/api/v1/projects/", {
        "title": "环评", "service_item": "EIA-R", "description": "编制环评报告书",
        "region": "500103", "budget_cap": "120000.00", "selection_method": "lowest_price",
        "bid_deadline": deadline}, format="json")

    assert response.status_code == 400
    assert "bid_deadline" in response.json()
    assert response.json()["code"] == "date.out_of_range"
    assert not Project.objects.filter(owner=owner).exists()


def test_the_qualification_api_refuses_a_valid_until_of_year_one(agency_admin):
    response = client_for(agency_admin).post("/api/v1/agencies/me/qualifications/", {
        "type": "EIA", "number": "X-1", "issuer": "某厅", "valid_until": "0001-01-01",
        "file": pdf_upload()}, format="multipart", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["valid_until"] == [DATE_REFUSAL]
    assert response.json()["code"] == "date.out_of_range"


# --- Absurd values (issue #13 §2) ---------------------------------------------------------------


def _project_body(**overrides):
    return {"title": "环评", "service_item": "EIA-R", "description": "编制环评报告书",
            "region": "500103", "budget_cap": "120000.00", "selection_method": "lowest_price",
            "bid_deadline": _later(10).isoformat(), **overrides}


def test_a_bid_deadline_of_9999_is_refused_as_a_date_out_of_range():
    owner = OwnerFactory()

    response = api_as(owner).post("/api/v1/projects/", _project_body(
        bid_deadline="9999-12-31T23:59:00+08:00"), format="json")

    assert (response.status_code, response.json()["code"]) == (400, "date.out_of_range")
    assert not Project.objects.filter(owner=owner).exists()


def test_a_bid_deadline_past_the_longest_bidding_period_is_refused_by_the_rule(settings):
    settings.MARKETPLACE_MAX_BIDDING_PERIOD_DAYS = 365
    owner = OwnerFactory()

    response = api_as(owner).post("/api/v1/projects/", _project_body(
        bid_deadline=_later(400).isoformat()), format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {
        "bid_deadline": ["The bid deadline may be at most 365 days away."],
        "code": "project.bidding_period_too_long"}
    assert not Project.objects.filter(owner=owner).exists()


def test_the_project_form_shows_the_longest_bidding_period_refusal(settings):
    settings.MARKETPLACE_MAX_BIDDING_PERIOD_DAYS = 30
    owner = OwnerFactory()

    response = browser_as(owner).post("/workspace/projects/new/",
                                      project_form_data(deadline=_later(31)))

    assert "The bid deadline may be at most 30 days away." in response.content.decode()
    assert not Project.objects.filter(owner=owner).exists()


def test_publishing_a_draft_whose_deadline_became_too_far_is_refused(settings):
    owner = OwnerFactory()
    draft = api_as(owner).post("/api/v1/projects/", _project_body(
        bid_deadline=_later(60).isoformat()), format="json").json()
    settings.MARKETPLACE_MAX_BIDDING_PERIOD_DAYS = 30

    response = api_as(owner).post(f"/api/v1/projects/{draft['id']}/publish/",
                                  HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["code"] == "project.bidding_period_too_long"
    assert Project.objects.get(pk=draft["id"]).status == Project.Status.DRAFT


def test_editing_a_draft_to_a_deadline_too_far_is_refused():
    owner = OwnerFactory()
    draft = api_as(owner).post("/api/v1/projects/", _project_body(), format="json").json()

    response = api_as(owner).patch(f"/api/v1/projects/{draft['id']}/", {
        "bid_deadline": _later(366).isoformat()}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "project.bidding_period_too_long"


@pytest.mark.parametrize("typed", ["１２３４５", "１２３４５．００", " １２３４５ "])
def test_a_full_width_budget_is_read_as_the_same_number_on_the_api(typed):
    owner = OwnerFactory()

    response = api_as(owner).post("/api/v1/projects/", _project_body(budget_cap=typed),
                                  format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["budget_cap"] == "12345.00"


@pytest.mark.parametrize("typed", ["１２３４５", "１２３４５．００"])
def test_a_full_width_budget_is_read_as_the_same_number_on_the_page(typed):
    owner = OwnerFactory()
    data = project_form_data(deadline=_later(10))
    data["budget_cap"] = typed

    response = browser_as(owner).post("/workspace/projects/new/", data)

    assert response.status_code == 302, response.content.decode()[:500]
    assert str(Project.objects.get(owner=owner).budget_cap) == "12345.00"


def test_a_full_width_comma_is_still_not_a_number_on_either_surface():
    owner = OwnerFactory()
    data = project_form_data(deadline=_later(10))
    data["budget_cap"] = "１２，３４５"

    page = browser_as(owner).post("/workspace/projects/new/", data)
    api = api_as(owner).post("/api/v1/projects/", _project_body(budget_cap="１２，３４５"),
                             format="json")

    assert page.status_code != 302
    assert (api.status_code, list(api.json())) == (400, ["budget_cap", "code"])
    assert not Project.objects.filter(owner=owner).exists()


# --- Free-text lengths (marketplace.limits.TEXT_LIMITS): forms, API and services alike ---------


def test_an_over_long_proposal_is_refused_by_the_api_with_text_too_long():
    """A 1 MB body is already over DATA_UPLOAD_MAX_MEMORY_SIZE (413 `request.too_large`);
    below it, the proposal's own limit answers."""
    project = published_project(now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
                                bid_deadline=_later(10))
    agency = agency_offering()

    response = client_for(user_of(agency)).post(
        f"/api/v1/projects/{project.pk}/bids/",
        {"price": "80000.00", "promised_days": 20, "proposal": "方" * 100_000},
        format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["code"] == "text.too_long"
    assert response.json()["proposal"] == ["At most 20000 characters (this has 100000)."]
    assert not project.bids.exists()


def test_the_bid_form_shows_the_proposal_limit_as_maxlength():
    form = BidForm.__new__(BidForm)
    assert form.base_fields["proposal"].max_length == TEXT_LIMITS["proposal"]
    assert (form.base_fields["proposal"].widget_attrs(form.base_fields["proposal"].widget)
            ["maxlength"] == str(TEXT_LIMITS["proposal"]))


def test_the_question_service_refuses_an_over_long_text_for_clients_that_skip_the_form():
    project = published_project(now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
                                bid_deadline=_later(10))
    agency = agency_offering()

    with pytest.raises(TextTooLong) as refused:
        question_ask(project=project, by=user_of(agency),
                     text="问" * (TEXT_LIMITS["question"] + 1))

    assert refused.value.code == "text.too_long"
    assert not project.questions.exists()


def test_the_length_rule_accepts_the_limit_and_refuses_one_more():
    check_text_length("x" * TEXT_LIMITS["objection"], kind="objection", field="reason")
    with pytest.raises(TextTooLong) as refused:
        check_text_length("x" * (TEXT_LIMITS["objection"] + 1), kind="objection",
                          field="reason")
    assert refused.value.field == "reason"


def test_a_project_description_over_the_limit_is_refused_on_the_api():
    owner = OwnerFactory()

    response = api_as(owner).post("/api/v1/projects/", _project_body(
        description="述" * (TEXT_LIMITS["description"] + 1)), format="json")

    assert (response.status_code, response.json()["code"]) == (400, "text.too_long")
    assert not Project.objects.filter(owner=owner).exists()
