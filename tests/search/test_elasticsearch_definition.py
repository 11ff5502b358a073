"""The JSON the Elasticsearch backend must send: index settings and mapping, search body."""

from marketplace.search.backends.elastic import index_definition, query_body
from marketplace.search.synonyms import rules

ANALYZED = {"type": "text", "analyzer": "cjk_index", "search_analyzer": "cjk_search"}


def test_the_index_uses_the_cjk_chain_with_unigrams_and_synonyms_at_search_time():
    assert index_definition("marketplace-agency-20260101000000000000").to_dict() == {
        "settings": {
            "analysis": {
                "analyzer": {
                    "cjk_index": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["cjk_width", "lowercase", "cjk_bigram_unigrams"],
                    },
                    "cjk_search": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["cjk_width", "lowercase", "cjk_bigram", "marketplace_synonyms"],
                    },
                },
                "filter": {
                    "cjk_bigram_unigrams": {"type": "cjk_bigram", "output_unigrams": True},
                    "marketplace_synonyms": {
                        "type": "synonym_graph",
                        "synonyms": rules(),
                        "lenient": True,
                    },
                },
            }
        },
        "mappings": {
            "properties": {"pk": {"type": "long"}, "title": ANALYZED, "body": ANALYZED}
        },
    }


def test_the_synonym_filter_carries_the_shipped_list():
    definition = index_definition("x").to_dict()
    synonyms = definition["settings"]["analysis"]["filter"]["marketplace_synonyms"]["synonyms"]
    assert "环评, 环境影响评价, eia" in synonyms
    assert "水保, 水土保持" in synonyms


def test_the_search_body_matches_every_word_across_title_and_body_title_weighted():
    assert query_body("环评 测绘", limit=20) == {
        "query": {
            "multi_match": {
                "query": "环评 测绘",
                "fields": ["title^3", "body"],
                "type": "cross_fields",
                "operator": "and",
            }
        },
        "sort": ["_score", {"pk": "asc"}],
        "_source": False,
        "track_total_hits": False,
        "size": 20,
    }


def test_the_search_size_stays_within_the_result_window():
    assert query_body("环评", limit=50_000)["size"] == 10_000
