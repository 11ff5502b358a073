"""The public project list's filters read as Chinese (or English) to a person: every label
translated, service items and regions chosen from lists, no owner-id box; the API's FilterSet
keeps its parameters and lookups (API contract). And the announcement puts each text under its
own heading."""

import re

import pytest
from django.test import Client

from bidding.api.filters import ProjectFilter
from bidding.filters import ProjectPageFilter
from bidding.models import Project
from marketplace.catalog.models import Region, ServiceItem
from tests.factories.accounts import OwnerFactory
from tests.factories.bidding import published_project

pytestmark = pytest.mark.django_db


def chinese_page(url: str) -> str:
    response = Client().get(url)  # no cookie: the default language, Chinese
    assert response.status_code == 200
    return response.content.decode()


def labels(page: str) -> list[str]:
    form = page[page.index('role="search"'):]
    form = form[:form.index("</form>")]
    return [re.sub(r"\s+", " ", text).strip()
            for text in re.findall(r"<label[^>]*>(.*?)</label>", form, re.S)]


def test_every_filter_label_is_translated_and_the_owner_id_box_is_gone():
    page = chinese_page("/projects/")
    assert labels(page) == ["关键词", "状态", "服务事项", "区域", "最高限价不低于（元）",
                            "最高限价不高于（元）"]
    assert 'name="owner"' not in page
    assert "is greater than" not in page and "Owner organization" not in page


def test_service_items_and_regions_are_lists_grouped_and_named():
    page = chinese_page("/projects/")
    assert re.search(r'<select name="service_item"[^>]*id="id_service_item"', page)
    assert re.search(r'<select name="region"[^>]*id="id_region"', page)
    assert '<optgroup label="环境评价">' in page
    item = ServiceItem.objects.get(code="EIA-R")
    assert f'<option value="EIA-R">{item.name}</option>' in page
    region = Region.objects.get(code="500103")
    assert f'<option value="500103">{region.name}</option>' in page
    english = Client(headers={"cookie": "django_language=en"}).get("/projects/").content.decode()
    assert '<optgroup label="Environmental assessment">' in english
    assert f'<option value="EIA-R">{item.name_en}</option>' in english


def test_the_lists_filter_by_code_like_the_api():
    eia = published_project(title="环评项目")
    mapping = published_project(title="测绘项目", service_item=ServiceItem.objects.get(
        code="MAP-TOPO"), region=Region.objects.get(code="500112"))
    page = chinese_page("/projects/?service_item=MAP-TOPO&region=500112")
    assert mapping.title in page and eia.title not in page
    page = chinese_page("/projects/?budget_min=50000&budget_max=150000")
    assert mapping.title in page and eia.title in page


def test_the_api_filterset_keeps_its_parameters():
    assert list(ProjectFilter.base_filters) == [
        "q", "status", "service_item", "region", "budget_min", "budget_max", "owner"]
    lookups = {name: (f.field_name, f.lookup_expr) for name, f in
               ProjectFilter.base_filters.items()}
    page = {name: (f.field_name, f.lookup_expr) for name, f in
            ProjectPageFilter.base_filters.items()}
    assert lookups["service_item"] == page["service_item"] == ("service_item__code", "exact")
    assert lookups["budget_min"] == page["budget_min"] == ("budget_cap", "gte")
    assert lookups["budget_max"] == page["budget_max"] == ("budget_cap", "lte")
    assert set(page) == set(lookups) - {"owner"}


def test_the_api_still_filters_by_owner_id(api_client):
    owner = OwnerFactory()
    mine = published_project(owner=owner)
    published_project()
    response = api_client.get(f"/api/v1/projects/?owner={owner.pk}")
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_the_description_is_under_its_own_heading_not_under_requirements():
    project = published_project(description="编制环境影响报告书并取得批复。")
    page = chinese_page(f"/projects/{project.pk}/")
    description = page[page.index('id="description-heading"'):]
    description = description[:description.index("</section>")]
    requirements = page[page.index('id="requirements-heading"'):]
    requirements = requirements[:requirements.index("</section>")]
    assert ">需求说明</h2>" in description and project.description in description
    assert ">资格要求</h2>" in requirements and project.description not in requirements
    assert project.status == Project.Status.BIDDING
