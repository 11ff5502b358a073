"""Full-text search in the directory, through the search interface (database backend)."""

import pytest
from django.urls import reverse

# A broken search backend must fail these tests, never skip them: imported plainly.
from marketplace.search.services import index_objects
from providers import services
from tests.factories.accounts import AgencyFactory, member_of
from tests.factories.providers import AgencyServiceFactory, service_item

pytestmark = pytest.mark.django_db

PAGE = reverse("providers:agency_list")
API = reverse("api:agencies")


@pytest.fixture
def market(db):
    survey = AgencyFactory(name="重庆山城测绘有限公司")
    eia = AgencyFactory(name="重庆绿源环保咨询有限公司")
    cost = AgencyFactory(name="重庆众信工程造价咨询有限公司")
    AgencyServiceFactory(agency=survey, service_item=service_item("MAP-TOPO"),
                         fee_standard="按测绘面积计费", service_standard="1:500地形图")
    AgencyServiceFactory(agency=eia, service_item=service_item("EIA-R"))
    AgencyServiceFactory(agency=cost, service_item=service_item("COST"),
                         fee_standard="按造价咨询收费标准", service_standard="出具造价咨询报告")
    index_objects(doc_type="agency", pks=[survey.pk, eia.pk, cost.pk])
    return survey, eia, cost


def api_names(api_client, params):
    return [row["name"] for row in api_client.get(API, params).json()["results"]]


def test_q_finds_agencies_by_service_item_name(api_client, market):
    survey, eia, cost = market
    assert api_names(api_client, {"q": "环境影响评价"}) == [eia.name]
    assert api_names(api_client, {"q": "地形图"}) == [survey.name]


def test_q_finds_agencies_by_name_on_the_page(client, market):
    response = client.get(PAGE, {"q": "山城测绘"})
    assert [row["agency"].name for row in response.context["rows"]] == ["重庆山城测绘有限公司"]


def test_q_finds_nothing_for_an_unknown_word(api_client, market):
    assert api_names(api_client, {"q": "核电站"}) == []


def test_q_combines_with_filters(api_client, market):
    assert api_names(api_client, {"q": "咨询", "service_item": "COST"}) == [
        "重庆众信工程造价咨询有限公司"]


def test_q_with_score_ordering(api_client, market):
    survey, eia, cost = market
    cost.credit_score = 95
    cost.save()
    names = api_names(api_client, {"q": "咨询", "ordering": "score"})
    assert names[0] == cost.name


def test_a_new_service_is_searchable_after_commit(api_client, db,
                                                  django_capture_on_commit_callbacks):
    agency = AgencyFactory(name="重庆新锐安全技术有限公司")
    admin = member_of(agency)
    with django_capture_on_commit_callbacks(execute=True):
        services.agency_service_add(agency=agency, service_item=service_item("SAFE-PRE"),
                                    promised_days=10, fee_standard="协商",
                                    service_standard="AQ 8001", by=admin)
    assert api_names(api_client, {"q": "安全预评价"}) == [agency.name]
