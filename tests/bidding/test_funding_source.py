"""Who pays (issue 17 §2): a government department's project is on a government budget line,
never charged to the enterprise; the funding source shows on the announcement, the API and
OCDS `planning.budget`."""

import datetime as dt
import re

import pytest
from django.conf import settings

from bidding import services
from bidding.models import Project
from marketplace.errors import DomainError
from tests.bidding.conftest import api_as
from tests.factories.accounts import GovernmentOwnerFactory, OwnerFactory
from tests.factories.bidding import T0, ProjectFactory, published_project, user_of
from tests.factories.owner_pages import browser_as, project_form_data

pytestmark = pytest.mark.django_db

LINE = "渝财建〔2026〕12号"
REFUSAL = "Give the budget line or the document number that funds this project."


def body(**changes) -> dict:
    data = {"title": "某区道路工程环境影响评价", "service_item": "EIA-R", "region": "500103",
            "description": "编制报告书", "budget_cap": "100000.00",
            "selection_method": "lowest_price",
            "bid_deadline": (T0 + dt.timedelta(days=4)).isoformat()}
    data.update(changes)
    return data


@pytest.fixture(autouse=True)
def _at_t0(time_machine):
    time_machine.move_to(T0, tick=False)


def test_a_government_owner_without_a_budget_line_is_refused_by_the_api():
    owner = GovernmentOwnerFactory()
    response = api_as(owner).post("/api/v1/projects/", body(), format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "project.funding_requires_budget_line"
    assert not Project.objects.filter(owner=owner).exists()


def test_a_government_owner_cannot_charge_its_own_funds():
    owner = GovernmentOwnerFactory()
    response = api_as(owner).post("/api/v1/projects/", body(
        funding_source="own_funds", budget_reference=LINE), format="json",
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["code"] == "project.funding_requires_budget_line"
    assert "enterprises are never charged" in str(response.json())


def test_a_government_owner_with_a_budget_line_posts_and_the_detail_shows_it():
    client = api_as(GovernmentOwnerFactory())
    created = client.post("/api/v1/projects/", body(budget_reference=f" {LINE} "), format="json")
    assert created.status_code == 201, created.json()
    assert (created.json()["funding_source"], created.json()["budget_reference"]) == (
        "government_budget", LINE)
    detail = client.get(f"/api/v1/projects/{created.json()['id']}/").json()
    assert detail["funding_source"] == "government_budget"


def test_an_enterprise_pays_its_own_funds_by_default():
    created = api_as(OwnerFactory()).post("/api/v1/projects/", body(), format="json")
    assert created.status_code == 201
    assert (created.json()["funding_source"], created.json()["budget_reference"]) == (
        "own_funds", "")


def test_an_edit_of_a_migrated_draft_asks_for_its_budget_line():
    # Rows from before the funding source: a department's is on the budget, line unknown.
    draft = ProjectFactory(owner=GovernmentOwnerFactory(), budget_reference="")
    with pytest.raises(DomainError) as refusal:
        services.project_update(project=draft, by=user_of(draft.owner), title="新标题", now=T0)
    assert refusal.value.code == "project.funding_requires_budget_line"
    services.project_update(project=draft, by=user_of(draft.owner), budget_reference=LINE,
                            now=T0)
    draft.refresh_from_db()
    assert draft.budget_reference == LINE


def test_the_owners_form_shows_the_refusal_on_the_budget_line():
    owner = GovernmentOwnerFactory()
    browser = browser_as(owner)
    form_page = browser.get("/workspace/projects/new/").content.decode()
    options = re.search(r'<select name="funding_source".*?</select>', form_page, re.S).group(0)
    assert 'value="government_budget"' in options and 'value="own_funds"' not in options
    response = browser.post("/workspace/projects/new/",
                            project_form_data(deadline=T0 + dt.timedelta(days=4)))
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert not Project.objects.filter(owner=owner).exists()


def test_the_announcement_shows_the_funding_source():
    project = published_project(owner=GovernmentOwnerFactory())
    page = browser_as().get(f"/projects/{project.pk}/").content.decode()
    funding = re.search(r'id="funding-source">(.*?)</dd>', page).group(1)
    assert funding == f"Government budget ({LINE})"


def test_ocds_publishes_the_budget_and_validates(api_client):
    from tests.ratings.test_open_data import _validate

    government = published_project(owner=GovernmentOwnerFactory())
    enterprise = published_project(owner=OwnerFactory())
    package = api_client.get("/api/v1/open-data/ocds/").json()
    budgets = {r["ocid"]: r["planning"]["budget"] for r in package["releases"]}
    assert budgets[f"{settings.OCDS_OCID_PREFIX}-{government.pk}"] == {
        "id": LINE, "description": "财政资金", "amount": {"amount": 100000.0, "currency": "CNY"}}
    assert budgets[f"{settings.OCDS_OCID_PREFIX}-{enterprise.pk}"] == {
        "description": "自有资金", "amount": {"amount": 100000.0, "currency": "CNY"}}
    _validate(package)
