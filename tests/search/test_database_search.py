"""What users type, on the database backend (SQLite FTS5 here, PostgreSQL in the other half)."""

import pytest

from tests.search.conftest import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(make_agency):
    """A few agencies, and some unrelated ones so ranking statistics are not degenerate."""
    agencies = {
        "eia_full": make_agency("重庆碧水环境科技有限公司", "渝北区",
                                items=("EIA-R",), standard="按导则编制环境影响报告书"),
        "eia_short": make_agency("重庆清源咨询有限公司", "承接环评、排污许可申报"),
        "survey": make_agency("重庆渝图测绘有限公司", "江北区", items=("MAP-TOPO",)),
        "testing": make_agency("重庆质安检测有限公司", "具备CMA资质的建设工程质量检测机构",
                               items=("TEST-QUAL",)),
        "cost": make_agency("重庆正衡工程造价咨询有限公司", "九龙坡区", items=("COST",)),
    }
    for n in range(5):
        make_agency(f"重庆法务服务所{n}", "合同审查与法律顾问", items=("LEGAL",))
    return {key: org.pk for key, org in agencies.items()}


def test_an_abbreviation_finds_the_full_name_and_the_abbreviation(market):
    found = search("环评")
    assert market["eia_full"] in found  # says 环境影响评价 (its service item)
    assert market["eia_short"] in found  # says 环评
    assert market["survey"] not in found


def test_the_full_name_finds_the_abbreviation_too(market):
    assert set(search("环境影响评价")) >= {market["eia_full"], market["eia_short"]}


def test_surveying_finds_the_surveying_agency_and_not_an_unrelated_one(market):
    found = search("测绘")
    assert found == [market["survey"]]
    assert market["testing"] not in found  # 检测 shares 测, not 测绘


def test_a_two_character_word_inside_a_long_phrase_matches(make_agency):
    # unicode61 would keep the whole run as one token and find nothing here.
    org = make_agency("重庆某某有限公司", "长期承接建设项目水土保持方案编制与监测验收服务")
    assert search("方案") == [org.pk]
    assert search("监测") == [org.pk]
    assert search("保持方案") == [org.pk]


def test_a_two_character_query_needs_the_characters_together(make_agency):
    org = make_agency("重庆某某有限公司", "测量与绘图")
    assert search("测绘") == []
    assert search("测量") == [org.pk]


def test_one_character_matches_and_ranks_a_title_match_first(make_agency):
    in_body = make_agency("重庆甲有限公司", "质量检测服务")
    in_title = make_agency("重庆测图有限公司", "地图服务")
    make_agency("重庆乙有限公司", "法律服务")
    assert search("测") == [in_title.pk, in_body.pk]


def test_mixed_chinese_and_latin_query_requires_both(market, make_agency):
    plain_testing = make_agency("重庆检测站", "室内空气质量检测")
    found = search("CMA检测")
    assert found == [market["testing"]]
    assert plain_testing.pk not in found
    assert search("cma 检测") == found  # case and spacing do not matter
    assert search("ＣＭＡ检测") == found  # nor full-width letters


def test_an_english_abbreviation_in_the_synonym_list_works_beside_chinese(market):
    found = search("EIA 环评")
    assert set(found) == {market["eia_full"], market["eia_short"]}


def test_a_title_match_ranks_above_a_body_match(make_agency):
    in_body = make_agency("重庆恒信咨询有限公司", "业务范围：环评、安评、可研编制")
    in_title = make_agency("重庆环评技术服务有限公司", "工程咨询")
    for n in range(4):
        make_agency(f"重庆无关公司{n}", "财务审计")
    assert search("环评") == [in_title.pk, in_body.pk]


def test_an_abbreviation_nobody_offers_finds_nothing_and_one_offered_finds_its_agency(market):
    assert search("水保") == []
    assert search("造价") == [market["cost"]]


def test_a_long_query_with_a_known_term_and_more_words(market):
    # 环评 is cut out and expanded; 报告书 must still be there.
    assert search("环评报告书") == [market["eia_full"]]


def test_limit_caps_the_results(make_agency):
    pks = [make_agency(f"重庆测绘{n}院").pk for n in range(5)]
    assert len(search("测绘", limit=3)) == 3
    assert set(search("测绘")) == set(pks)


def test_nothing_to_search_for_finds_nothing(market):
    assert search("") == []
    assert search(" ，。 ") == []


def test_operators_in_the_query_are_plain_words(market):
    assert search('测绘" OR "') == []  # "or" is a word no agency has
    assert search("测绘*") == [market["survey"]]
