"""The public lists' long selects (service items, regions) are rendered once per chosen value
and language, and start afresh when the catalog changes (`marketplace.catalog.kept`, issue 14
§1): rendering them was a third of the project list's and the directory's time."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.catalog.models import Region, ServiceItem

pytestmark = pytest.mark.django_db

LISTS = ["/projects/", "/agencies/"]
SEARCH_FORM = re.compile(r'<form method="get".*?</form>', re.S)


def _catalog_reads(client, url, **query) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    reads = sum(1 for query in captured.captured_queries
                if 'FROM "catalog_region"' in query["sql"]
                or 'FROM "catalog_serviceitem"' in query["sql"])
    return response.content.decode(), reads


@pytest.mark.parametrize("url", LISTS)
def test_a_list_asked_again_shows_the_same_form_without_reading_the_catalog(client, url):
    first, first_reads = _catalog_reads(client, url)
    again, again_reads = _catalog_reads(client, url)
    assert first_reads >= 1 and again_reads == 0
    assert SEARCH_FORM.search(first).group() == SEARCH_FORM.search(again).group()
    assert 'name="region"' in again and 'name="service_item"' in again


@pytest.mark.parametrize("url", LISTS)
def test_another_text_searched_for_still_reuses_the_selects(client, url):
    """What is kept is each select, not the whole form: the free text (a new one each time,
    for searches nobody made before) takes no entry and never misses."""
    client.get(url, {"q": "污水处理"})
    html, reads = _catalog_reads(client, url, q="学校教学楼")
    assert reads == 0
    assert 'value="学校教学楼"' in html


@pytest.mark.parametrize("url", LISTS)
def test_a_region_added_to_the_catalog_is_offered_at_once(client, url):
    client.get(url)
    Region.objects.create(code="500999", name="测试新区")
    assert "测试新区" in client.get(url).content.decode()


@pytest.mark.parametrize("url", LISTS)
def test_a_renamed_service_item_reads_its_new_name_at_once(client, url):
    client.get(url)
    item = ServiceItem.objects.get(code="EIA-R")
    item.name = "环境影响评价（报告书，新名）"
    item.save()
    assert "环境影响评价（报告书，新名）" in client.get(url).content.decode()


@pytest.mark.parametrize("url", LISTS)
def test_each_language_has_its_own_form(client, url):
    chinese = client.get(url).content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "全部区域" in chinese
    assert "All regions" in english and "All regions" not in chinese


@pytest.mark.parametrize("url", LISTS)
def test_the_chosen_values_and_their_errors_belong_to_the_query_asked(client, url):
    chosen = client.get(url, {"region": "500103"}).content.decode()
    assert '<option value="500103" selected>' in chosen
    wrong = client.get(url, {"region": "nowhere"}).content.decode()
    assert 'aria-invalid="true"' in wrong and "is-invalid" in wrong
    plain = client.get(url).content.decode()
    assert '<option value="500103" selected>' not in plain
    assert 'aria-invalid="true"' not in plain


def test_a_lifetime_of_zero_keeps_nothing(client, settings):
    settings.MARKETPLACE_CATALOG_CACHE_SECONDS = 0
    client.get("/projects/")
    _html, reads = _catalog_reads(client, "/projects/")
    assert reads >= 1
