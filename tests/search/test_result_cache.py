"""Search results are kept per query until the index is written to (issue 14 §1: the same few
words are searched again and again, and ranking every match is most of a search's cost)."""

import pytest
from django.db import transaction

from marketplace.search import services
from tests.search.conftest import TEST_TYPE, search

pytestmark = pytest.mark.django_db


def test_a_repeated_search_is_answered_without_the_database(make_agency,
                                                            django_assert_num_queries):
    survey = make_agency("重庆渝图测绘有限公司", items=("MAP-TOPO",))
    assert search("测绘") == [survey.pk]
    with django_assert_num_queries(0):
        assert search("测绘") == [survey.pk]


def test_spellings_of_the_same_search_share_their_results(make_agency,
                                                          django_assert_num_queries):
    survey = make_agency("重庆渝图测绘有限公司 CMA", items=("MAP-TOPO",))
    assert search("测绘 cma") == [survey.pk]
    with django_assert_num_queries(0):
        assert search(" 测绘，ＣＭＡ ") == [survey.pk]


def test_other_words_and_limits_are_searched_afresh(make_agency, django_assert_num_queries):
    survey = make_agency("重庆渝图测绘有限公司", items=("MAP-TOPO",))
    assert search("测绘") == [survey.pk]
    with django_assert_num_queries(1):
        assert search("渝图") == [survey.pk]
    with django_assert_num_queries(1):
        assert search("测绘", limit=5) == [survey.pk]


def test_indexing_an_object_renews_the_results_at_once(make_agency):
    first = make_agency("重庆渝图测绘有限公司", items=("MAP-TOPO",))
    assert search("测绘") == [first.pk]
    second = make_agency("重庆山城测绘有限公司")  # indexed by index_objects
    assert sorted(search("测绘")) == sorted([first.pk, second.pk])


def test_removing_an_object_renews_the_results_at_once(make_agency):
    survey = make_agency("重庆渝图测绘有限公司", items=("MAP-TOPO",))
    assert search("测绘") == [survey.pk]
    services.remove_objects(doc_type=TEST_TYPE, pks=[survey.pk])
    assert search("测绘") == []


def test_a_search_between_the_write_and_its_commit_is_not_kept(make_agency,
                                                                django_capture_on_commit_callbacks):
    """Another process searching while the indexing transaction is open reads the old index;
    what it kept is retired again when the write commits."""
    survey = make_agency("重庆渝图测绘有限公司", items=("MAP-TOPO",))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.remove_objects(doc_type=TEST_TYPE, pks=[survey.pk])
        # What a concurrent reader would have cached: the results before the removal.
        services.RESULTS.cached(services.result_key(TEST_TYPE, "测绘", 100),
                               lambda: [survey.pk])
        assert search("测绘") == [survey.pk]
    assert search("测绘") == []


def test_a_rebuild_renews_the_results(make_agency):
    survey = make_agency("重庆渝图测绘有限公司", items=("MAP-TOPO",), index=False)
    assert search("测绘") == []
    assert services.rebuild(doc_type=TEST_TYPE) >= 1
    assert search("测绘") == [survey.pk]


def test_results_are_not_kept_when_the_setting_is_zero(make_agency, settings,
                                                       django_assert_num_queries):
    settings.MARKETPLACE_SEARCH_CACHE_SECONDS = 0
    survey = make_agency("重庆渝图测绘有限公司", items=("MAP-TOPO",))
    assert search("测绘") == [survey.pk]
    with django_assert_num_queries(1):
        assert search("测绘") == [survey.pk]

