"""The agency directory: one FilterSet for the page and the API, constant queries per page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.accounts.models import Organization
from providers.models import Qualification
from tests.factories.accounts import AgencyFactory, region
from tests.factories.providers import AgencyServiceFactory, QualificationFactory, service_item

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    if hasattr(response, "json") and response["Content-Type"].startswith("application/json"):
        return [row["name"] for row in response.json()["results"]]
    return [row["agency"].name for row in response.context["rows"]]


@pytest.fixture
def market(db):
    """Three agencies that differ in every filtered respect."""
    alpha = AgencyFactory(name="甲测绘公司", region=region("500103"), credit_score=Decimal("92"),
                          credit_grade="A")
    beta = AgencyFactory(name="乙环评公司", region=region("500105"), credit_score=Decimal("78"),
                         credit_grade="B")
    gamma = AgencyFactory(name="丙造价公司", region=region("500103"), credit_score=Decimal("55"),
                          credit_grade="D")
    AgencyServiceFactory(agency=alpha, service_item=service_item("MAP-TOPO"))
    AgencyServiceFactory(agency=beta, service_item=service_item("EIA-R"))
    AgencyServiceFactory(agency=gamma, service_item=service_item("COST"))
    AgencyServiceFactory(agency=gamma, service_item=service_item("EIA-R"))
    QualificationFactory(agency=alpha, status=Qualification.Status.VERIFIED)
    QualificationFactory(agency=beta, status=Qualification.Status.DECLARED)
    return alpha, beta, gamma


PAGE = reverse("providers:agency_list")
API = reverse("api:agencies")


@pytest.fixture(params=["page", "api"])
def get(request, client, api_client):
    def fetch(params=None):
        if request.param == "page":
            return client.get(PAGE, params or {})
        return api_client.get(API, params or {})
    return fetch


def test_without_filters_every_listed_agency_shows_by_name(get, market):
    response = get()
    assert response.status_code == 200
    assert names(response) == sorted(a.name for a in market)


def test_filter_by_service_item_code(get, market):
    assert sorted(names(get({"service_item": "EIA-R"}))) == sorted(["乙环评公司", "丙造价公司"])
    assert names(get({"service_item": "MAP-TOPO"})) == ["甲测绘公司"]


def test_an_agency_with_two_matching_services_shows_once(get, market):
    assert names(get({"service_item": "EIA-R"})).count("丙造价公司") == 1


def test_filter_by_region_code(get, market):
    assert sorted(names(get({"region": "500103"}))) == sorted(["甲测绘公司", "丙造价公司"])


def test_filter_by_grade(get, market):
    assert names(get({"grade": "A"})) == ["甲测绘公司"]
    assert names(get({"grade": "D"})) == ["丙造价公司"]


def test_filter_by_verified(get, market):
    assert names(get({"verified": "true"})) == ["甲测绘公司"]
    assert sorted(names(get({"verified": "false"}))) == sorted(["乙环评公司", "丙造价公司"])


def test_filters_combine(get, market):
    assert names(get({"service_item": "EIA-R", "region": "500103"})) == ["丙造价公司"]


def test_order_by_score_puts_the_best_credit_first(get, market):
    assert names(get({"ordering": "score"})) == ["甲测绘公司", "乙环评公司", "丙造价公司"]


def test_order_by_name(get, market):
    assert names(get({"ordering": "name"})) == sorted(a.name for a in market)


def test_suspended_and_exited_agencies_and_other_kinds_are_not_listed(get, market, owner):
    AgencyFactory(name="已暂停公司", status=Organization.Status.SUSPENDED)
    AgencyFactory(name="已清退公司", status=Organization.Status.EXITED)
    listed = names(get())
    assert "已暂停公司" not in listed and "已清退公司" not in listed
    assert owner.name not in listed


def test_the_api_answers_400_on_an_unknown_service_item(api_client, market):
    response = api_client.get(API, {"service_item": "NO-SUCH"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "service_item" in response.json()


def test_pages_keep_the_filters_in_their_links(client, db):
    for n in range(25):
        agency = AgencyFactory(name=f"测试机构{n:02d}", region=region("500103"))
        AgencyServiceFactory(agency=agency)
    response = client.get(PAGE, {"service_item": "EIA-R", "region": "500103"})
    assert len(response.context["rows"]) == 20
    html = response.content.decode()
    assert "?service_item=EIA-R&amp;region=500103&amp;page=2" in html
    second = client.get(PAGE, {"service_item": "EIA-R", "region": "500103", "page": 2})
    assert len(second.context["rows"]) == 5
    assert "?service_item=EIA-R&amp;region=500103&amp;page=1" in second.content.decode()


def test_the_api_page_size_is_capped_at_100(api_client, db):
    for _ in range(3):
        AgencyFactory()
    response = api_client.get(API, {"page_size": 2})
    assert len(response.json()["results"]) == 2
    assert response.json()["count"] == 3
    assert "page=2" in response.json()["next"]


def _populate(count: int) -> None:
    for _ in range(count):
        agency = AgencyFactory()
        AgencyServiceFactory(agency=agency, service_item=service_item("EIA-R"))
        AgencyServiceFactory(agency=agency, service_item=service_item("COST"))
        QualificationFactory(agency=agency, status=Qualification.Status.VERIFIED)


def _queries(fetch) -> int:
    fetch()
    with CaptureQueriesContext(connection) as context:
        assert fetch().status_code == 200
    return len(context.captured_queries)


# Count, page, services with their items. The filter form's two selects read the catalog
# once, then are kept (tests/catalog/test_kept_filter_forms.py): `_queries` asks twice.
PAGE_QUERIES = 3
API_QUERIES = 3


def test_the_page_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    _populate(3)
    few = _queries(lambda: client.get(PAGE))
    _populate(17)
    client.get(PAGE)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(PAGE)
    assert len(response.context["rows"]) == 20
    assert few == PAGE_QUERIES


def test_the_api_runs_a_constant_number_of_queries(api_client, django_assert_num_queries):
    _populate(3)
    few = _queries(lambda: api_client.get(API, {"page_size": 100}))
    _populate(47)
    with django_assert_num_queries(API_QUERIES):
        response = api_client.get(API, {"page_size": 100})
    assert len(response.json()["results"]) == 50
    assert few == API_QUERIES


def test_filtering_adds_a_fixed_number_of_queries(api_client, django_assert_num_queries):
    _populate(5)
    # Validating the two codes looks each up once.
    with django_assert_num_queries(API_QUERIES + 2):
        api_client.get(API, {"service_item": "EIA-R", "region": "500103", "verified": "1"})
