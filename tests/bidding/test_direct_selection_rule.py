"""Direct selection without competition (issue 17 §3): a government department may use it only
for a monopoly service item; enterprises for any item; a monopoly item may still be competed.
The same rule answers the service, the API and the project form."""

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from bidding import services
from bidding.models import Project
from bidding.rules import check_selection_method
from marketplace.errors import DomainError
from tests.bidding.conftest import api_as
from tests.factories.accounts import GovernmentOwnerFactory, OwnerFactory
from tests.factories.bidding import T0, ProjectFactory, service_item, user_of
from tests.factories.contracts import make_monopoly
from tests.factories.owner_pages import browser_as, project_form_data

pytestmark = pytest.mark.django_db
DEADLINE = T0 + dt.timedelta(days=5)
BUDGET = {"funding_source": "government_budget", "budget_reference": "渝财建〔2026〕7号"}


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(T0, tick=False):
        yield


def payload(**overrides):
    data = {"title": "某水库除险加固工程水土保持方案", "service_item": "EIA-R",
            "description": "编制水土保持方案报告书", "region": "500103",
            "budget_cap": "120000.00", "selection_method": "direct", "min_bidders": 1,
            "bid_deadline": DEADLINE.isoformat(), **BUDGET}
    data.update(overrides)
    return data


def test_the_rule_refuses_a_government_department_direct_selection_of_an_ordinary_item():
    item = service_item()
    with pytest.raises(DomainError) as refused, translation.override("en"):
        check_selection_method(owner=GovernmentOwnerFactory(), service_item=item,
                               method=Project.Method.DIRECT)
    assert refused.value.code == "project.direct_selection_not_allowed"
    assert refused.value.field == "selection_method"
    with translation.override("en"):
        assert "only for a monopoly service item" in str(refused.value.message)


def test_the_rule_allows_every_other_combination():
    ordinary, government, enterprise = service_item(), GovernmentOwnerFactory(), OwnerFactory()
    check_selection_method(owner=enterprise, service_item=ordinary, method="direct")
    check_selection_method(owner=government, service_item=ordinary, method="lowest_price")
    monopoly = make_monopoly()
    check_selection_method(owner=government, service_item=monopoly, method="direct")
    check_selection_method(owner=government, service_item=monopoly, method="comprehensive")
    check_selection_method(owner=enterprise, service_item=monopoly, method="direct")


def test_a_government_department_posts_a_monopoly_item_by_direct_selection_through_the_api():
    make_monopoly()
    response = api_as(GovernmentOwnerFactory()).post("/api/v1/projects/", payload(),
                                                     format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["selection_method"] == "direct"


def test_the_api_refuses_it_for_an_ordinary_item_with_the_code():
    response = api_as(GovernmentOwnerFactory()).post(
        "/api/v1/projects/", payload(), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["code"] == "project.direct_selection_not_allowed"
    assert "only for a monopoly service item" in " ".join(response.json()["selection_method"])


def test_enterprises_may_select_directly_for_any_item_and_monopolies_may_be_competed():
    make_monopoly()
    enterprise = api_as(OwnerFactory()).post(
        "/api/v1/projects/", payload(funding_source="own_funds", budget_reference=""),
        format="json")
    assert enterprise.status_code == 201, enterprise.json()
    competed = api_as(GovernmentOwnerFactory()).post(
        "/api/v1/projects/", payload(selection_method="lowest_price", min_bidders=3),
        format="json")
    assert competed.status_code == 201, competed.json()


def test_the_form_marks_monopoly_items_and_accepts_direct_selection_for_them():
    make_monopoly()
    owner = GovernmentOwnerFactory()
    browser = browser_as(owner)
    with translation.override("en"):
        page = browser.get("/workspace/projects/new/", HTTP_ACCEPT_LANGUAGE="en"
                           ).content.decode()
    assert "(EIA-R) · monopoly item" in page
    response = browser.post("/workspace/projects/new/", project_form_data(
        deadline=DEADLINE, method="direct", min_bidders="1", **BUDGET))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Project.objects.get(owner=owner).selection_method == "direct"


def test_a_draft_moved_off_its_monopoly_item_cannot_keep_direct_selection():
    make_monopoly()
    draft = ProjectFactory(owner=GovernmentOwnerFactory(), selection_method="direct",
                           min_bidders=1)
    with pytest.raises(DomainError) as refused:
        services.project_update(project=draft, by=user_of(draft.owner),
                                service_item=service_item("EIA-T"))
    assert refused.value.code == "project.direct_selection_not_allowed"
