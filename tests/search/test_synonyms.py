"""The one synonym list: it loads, and every common abbreviation finds the catalog's item."""

import pytest

from marketplace.catalog.models import ServiceItem
from marketplace.search import DocumentType, SearchDocument, registry, search_ids, services
from marketplace.search.synonyms import SynonymListError, parse, rules, synonym_map


def test_the_shipped_list_loads_and_maps_the_abbreviations_the_issue_names():
    synonyms = synonym_map()
    for short, full in [
        ("环评", "环境影响评价"), ("安评", "安全评价"), ("能评", "节能评估"),
        ("水保", "水土保持"), ("稳评", "社会稳定风险评估"), ("可研", "可行性研究"),
        ("职评", "职业病危害评价"), ("地灾评估", "地质灾害危险性评估"), ("洪评", "防洪影响评价"),
        ("水评", "水资源论证"), ("造价", "工程造价咨询"),
    ]:
        assert full in synonyms[short], short


def test_equivalent_terms_find_each_other_and_one_way_rules_do_not_reverse():
    synonyms = parse(["环评, 环境影响评价", "安评 => 安评, 安全预评价, 安全验收评价"])
    assert synonyms["环境影响评价"] == ("环评", "环境影响评价")
    assert synonyms["安评"] == ("安评", "安全预评价", "安全验收评价")
    assert "安全预评价" not in synonyms


def test_elasticsearch_gets_the_rule_lines_without_comments():
    lines = rules()
    assert "环评, 环境影响评价, eia" in lines
    assert not [line for line in lines if line.startswith("#") or not line]


@pytest.mark.parametrize("entry", ["环评 报告", "EIA报告", "a-b"])
def test_an_entry_the_database_backend_could_not_match_is_refused(entry):
    with pytest.raises(SynonymListError):
        parse([f"{entry}, 环评"])


ABBREVIATIONS = [
    ("环评", ["EIA-R", "EIA-T"]),
    ("eia", ["EIA-R", "EIA-T"]),
    ("安评", ["SAFE-PRE", "SAFE-ACC"]),
    ("能评", ["ENERGY"]),
    ("职评", ["OCC-PRE"]),
    ("水保", ["SOIL"]),
    ("洪评", ["FLOOD"]),
    ("水评", ["WATER"]),
    ("地灾评估", ["GEO-HAZ"]),
    ("压矿评估", ["MINERAL"]),
    ("林地可研", ["FOREST"]),
    ("震评", ["SEISMIC"]),
    ("文评", ["RELIC"]),
    ("交评", ["TRAFFIC"]),
    ("稳评", ["SOCIAL"]),
    ("可研", ["FEAS"]),
    ("审图", ["DRAWING-REV"]),
    ("造价", ["COST"]),
    ("测绘", ["MAP-PLAN", "MAP-HOUSE", "MAP-TOPO"]),
    ("防雷检测", ["TEST-LIGHT"]),
    ("消防检测", ["TEST-FIRE"]),
    ("特检", ["TEST-EQUIP"]),
    ("土地评估", ["APPR-LAND"]),
    ("房地产评估", ["APPR-RE"]),
]


@pytest.fixture
def catalog_indexed(db, monkeypatch):
    """The catalog's service items as documents: title = name, body = category."""
    document_type = DocumentType(
        name="test_item", model=ServiceItem, queryset=ServiceItem.objects.all,
        to_document=lambda item: SearchDocument(item.pk, item.name, item.category),
    )
    monkeypatch.setitem(registry._registry, "test_item", document_type)
    services.rebuild(doc_type="test_item")
    return {item.code: item.pk for item in ServiceItem.objects.all()}


@pytest.mark.parametrize(("query", "codes"), ABBREVIATIONS)
def test_an_abbreviation_finds_the_catalog_items_it_stands_for(catalog_indexed, query, codes):
    found = search_ids("test_item", query)
    for code in codes:
        assert catalog_indexed[code] in found, f"{query} should find {code}"


def test_an_abbreviation_does_not_find_unrelated_items(catalog_indexed):
    found = search_ids("test_item", "安评")
    assert catalog_indexed["SEISMIC"] not in found  # 地震安全性评价 is not a safety evaluation
    assert catalog_indexed["OCC-PRE"] not in found
