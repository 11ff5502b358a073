"""Tokens and query parsing: what the database backend indexes and asks for."""

from marketplace.search.text import (
    ParsedQuery,
    document_tokens,
    fts5_match,
    parse_query,
    search_tokens,
    tsquery,
)

NO_SYNONYMS: dict = {}


def test_a_cjk_run_is_indexed_as_unigrams_and_overlapping_bigrams():
    assert document_tokens("环境影响") == "环 环境 境 境影 影 影响 响"


def test_latin_words_and_digits_are_lowercased_words_beside_the_chinese():
    assert document_tokens("CMA检测 2024年") == "cma 检 检测 测 2024 年"


def test_full_width_letters_are_the_same_word_as_half_width_ones():
    assert document_tokens("ＣＭＡ认证") == document_tokens("CMA认证")


def test_punctuation_separates_runs_so_no_bigram_spans_it():
    assert document_tokens("环评，测绘") == "环 环评 评 测 测绘 绘"


def test_a_query_asks_for_its_bigrams_and_a_single_character_for_itself():
    assert search_tokens("环境影响评价") == ("环境", "境影", "影响", "响评", "评价")
    assert search_tokens("测") == ("测",)


def test_each_query_term_is_required():
    parsed = parse_query("CMA 检测", NO_SYNONYMS)
    assert parsed.terms == ((("cma",),), (("检测",),))


def test_a_synonym_adds_alternatives_to_its_term():
    synonyms = {"环评": ("环评", "环境影响评价")}
    assert parse_query("环评", synonyms).terms == (
        (("环评",), ("环境", "境影", "影响", "响评", "评价")),
    )


def test_a_known_term_inside_a_longer_run_is_cut_out_with_its_synonyms():
    synonyms = {"环评": ("环评", "环境影响评价")}
    parsed = parse_query("环评报告书", synonyms)
    assert parsed.terms == (
        (("环评",), ("环境", "境影", "影响", "响评", "评价")),
        (("报告", "告书"),),
    )


def test_the_longest_known_term_wins():
    synonyms = {"地灾": ("地灾", "地质灾害"), "地灾评估": ("地灾评估", "地质灾害危险性评估")}
    parsed = parse_query("地灾评估", synonyms)
    assert len(parsed.terms) == 1
    assert ("地质", "质灾", "灾害", "害危", "危险", "险性", "性评", "评估") in parsed.terms[0]


def test_an_alternative_that_contains_another_is_dropped_as_redundant():
    synonyms = {"造价": ("造价", "工程造价咨询")}
    assert parse_query("造价", synonyms).terms == ((("造价",),),)


def test_a_query_of_punctuation_only_is_empty():
    assert not parse_query("，。!? ", NO_SYNONYMS)


def test_fts5_and_tsquery_forms_quote_every_token():
    parsed = ParsedQuery(((("环评",), ("eia",)), (("报告", "告书"),)))
    assert fts5_match(parsed) == '(("环评") OR ("eia")) AND (("报告" AND "告书"))'
    assert tsquery(parsed) == "(('环评') | ('eia')) & (('报告' & '告书'))"


def test_query_syntax_characters_are_never_operators():
    parsed = parse_query('"环评" OR NOT (测绘*) -x', NO_SYNONYMS)
    assert parsed.terms == (
        (("环评",),), (("or",),), (("not",),), (("测绘",),), (("x",),)
    )
