"""The public service-item catalogue (issue 17 §1): every item's seven published terms on its
page and in `GET service-items/{code}/`, the catalogue's search and category filter, and the
agencies and projects of an item."""

import pytest
from django.test import Client

from marketplace.catalog.models import FeePricing, ServiceItem
from tests.factories.bidding import agency_offering, published_project

pytestmark = pytest.mark.django_db

TERMS = {
    "legal_basis": "《中华人民共和国环境影响评价法》第十六条",
    "time_limit_days": 45,
    "workflow": ["发布需求", "选取机构", "编制报告书", "报生态环境部门审批"],
    "application_conditions": "编制主持人为环境影响评价工程师。",
    "fee_pricing": FeePricing.GUIDED,
    "fee_standard": "参考计价格〔2002〕125号，可下浮20%。",
    "competent_department": "重庆市生态环境局",
    "is_monopoly": True,
}


@pytest.fixture
def eia():
    item = ServiceItem.objects.get(code="EIA-R")
    for name, value in TERMS.items():
        setattr(item, name, value)
    item.save()
    return item


def visitor(language: str) -> Client:
    client = Client()
    client.cookies["django_language"] = language
    return client


def test_the_item_page_shows_the_seven_terms_in_chinese(eia):
    page = visitor("zh-hans").get("/service-items/EIA-R/").content.decode()
    assert '<html lang="zh-hans"' in page
    for text in ("环境影响评价（报告书）", TERMS["legal_basis"], "45", *TERMS["workflow"],
                 TERMS["application_conditions"], TERMS["fee_standard"],
                 TERMS["competent_department"]):
        assert text in page, text


def test_the_item_page_shows_the_seven_terms_in_english(eia):
    page = visitor("en").get("/service-items/EIA-R/").content.decode()
    assert "Environmental impact assessment (report)" in page
    for label in ("Legal basis", "Time limit", "Workflow", "Application conditions",
                  "Fee standard", "Competent department", "Monopoly item"):
        assert f">{label}</dt>" in page, label
    assert "45 days" in page and "Government-guided price" in page
    assert "Yes: only designated agencies may provide it" in page
    assert all(f"<li>{step}</li>" in page for step in TERMS["workflow"])


def test_the_catalogue_lists_every_item_by_category(eia):
    page = visitor("en").get("/service-items/").content.decode()
    assert page.count('data-item="') == 40
    assert ">Environmental assessment</h2>" in page and "40 service items found" in page
    assert 'href="/service-items/EIA-R/"' in page


def test_the_catalogue_searches_names_codes_and_departments(eia):
    client = visitor("en")
    by_name = client.get("/service-items/", {"q": "防雷"}).content.decode()
    assert 'data-item="TEST-LIGHT"' in by_name and by_name.count('data-item="') == 1
    by_department = client.get("/service-items/", {"q": "生态环境局"}).content.decode()
    assert by_department.count('data-item="') == 1 and 'data-item="EIA-R"' in by_department
    nothing = client.get("/service-items/", {"q": "不存在的事项"}).content.decode()
    assert "No service item matches this search." in nothing


def test_the_catalogue_filters_by_category():
    page = visitor("en").get("/service-items/", {"category": "测绘"}).content.decode()
    assert {"MAP-PLAN", "MAP-HOUSE", "MAP-TOPO"} == {
        code for code in ("MAP-PLAN", "MAP-HOUSE", "MAP-TOPO", "EIA-R")
        if f'data-item="{code}"' in page}
    unknown = visitor("en").get("/service-items/", {"category": "<b>"}).content.decode()
    assert unknown.count('data-item="') == 40  # an unknown category is ignored, not echoed


def test_the_item_page_lists_its_agencies_with_grades_and_its_projects(eia):
    agency = agency_offering(eia, name="重庆碧水环保科技有限公司")
    project = published_project(service_item=eia)
    page = visitor("en").get("/service-items/EIA-R/").content.decode()
    assert f'href="/agencies/{agency.pk}/">重庆碧水环保科技有限公司</a>' in page
    assert f">{agency.credit_grade}</span>" in page
    assert 'href="/agencies/?service_item=EIA-R"' in page
    assert f'href="/projects/{project.pk}/">{project.title}</a>' in page


def test_the_directory_link_is_filtered_by_the_item(eia):
    offering = agency_offering(eia, name="重庆碧水环保科技有限公司")
    other = agency_offering(ServiceItem.objects.get(code="TEST-AIR"), name="重庆室内检测有限公司")
    page = visitor("en").get("/agencies/", {"service_item": "EIA-R"}).content.decode()
    assert offering.name in page and other.name not in page


def test_an_unknown_item_is_a_404_page():
    assert visitor("en").get("/service-items/NOPE/").status_code == 404


def test_the_api_detail_has_every_field(api_client, eia):
    response = api_client.get("/api/v1/service-items/EIA-R/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "code": "EIA-R", "name": "环境影响评价（报告书）",
        "name_en": "Environmental impact assessment (report)", "category": "环境评价",
        "category_en": "Environmental assessment", "reference_days": 45,
        "legal_basis": TERMS["legal_basis"], "time_limit_days": 45,
        "workflow": TERMS["workflow"], "conditions": TERMS["application_conditions"],
        "fee_pricing": "government_guided", "fee_pricing_display": "Government-guided price",
        "fee_standard": TERMS["fee_standard"],
        "competent_department": TERMS["competent_department"], "is_monopoly": True,
        "is_active": True,
    }


def test_the_api_answers_404_json_for_an_unknown_code(api_client):
    response = api_client.get("/api/v1/service-items/NOPE/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_the_list_keeps_its_five_fields(api_client, eia):
    items = api_client.get("/api/v1/service-items/").json()
    assert {"code": "EIA-R", "name": "环境影响评价（报告书）",
            "name_en": "Environmental impact assessment (report)", "category": "环境评价",
            "reference_days": 45} in items


def test_the_openapi_schema_describes_the_detail(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/service-items/{code}/"]["get"]
    assert {"200", "404"} <= set(operation["responses"])
    component = schema["components"]["schemas"]["ServiceItemDetail"]["properties"]
    assert {"legal_basis", "time_limit_days", "workflow", "conditions", "fee_pricing",
            "fee_standard", "competent_department", "is_monopoly"} <= set(component)


def test_the_footer_links_the_catalogue():
    assert 'href="/service-items/"' in visitor("en").get("/agencies/").content.decode()
