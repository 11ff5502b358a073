"""In English, service items and their categories read in English (the reference data names
categories in Chinese only; the catalog carries their English names)."""

import pytest
from django.utils import translation

from marketplace.catalog.loaders import CATEGORY_NAMES_EN, load_json
from marketplace.catalog.models import ServiceItem

pytestmark = pytest.mark.django_db


def test_every_category_in_the_reference_data_has_an_english_name():
    categories = {item["category"] for item in load_json("service_items.json")}
    assert categories - set(CATEGORY_NAMES_EN) == set()


def test_a_service_item_shows_its_category_in_the_page_language():
    item = ServiceItem.objects.get(code="EIA-R")
    with translation.override("en"):
        assert (item.display_name, item.display_category) == (
            "Environmental impact assessment (report)", "Environmental assessment")
    with translation.override("zh-hans"):
        assert (item.display_name, item.display_category) == ("环境影响评价（报告书）", "环境评价")


def test_no_service_item_is_left_without_an_english_category():
    assert not ServiceItem.objects.exclude(category="").filter(category_en="").exists()
