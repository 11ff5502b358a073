"""Against a real Elasticsearch (8.x), only when ELASTICSEARCH_URL is set."""

import os
import uuid

import pytest

from marketplace.accounts.models import Organization
from marketplace.search.backends.elastic import ElasticsearchBackend
from tests.search.conftest import TEST_TYPE, org_document

pytestmark = [
    pytest.mark.live_es,
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"),
                       reason="set ELASTICSEARCH_URL to run the live Elasticsearch tests"),
]


@pytest.fixture
def live(monkeypatch):
    backend = ElasticsearchBackend(url=os.environ["ELASTICSEARCH_URL"],
                                   prefix=f"test-{uuid.uuid4().hex[:8]}")

    def no_fallback(*args, **kwargs):
        raise AssertionError("the live test fell back to the database backend")

    # Writes still reach the database backend; searches must be answered by Elasticsearch.
    monkeypatch.setattr(backend.database, "search_ids", no_fallback)
    yield backend
    backend.client.indices.delete(index=f"{backend.prefix}-*", ignore_unavailable=True)


def search(backend, query: str) -> list[int]:
    return backend.search_ids(TEST_TYPE, query, limit=20)


def test_rebuild_then_search_chinese_with_synonyms(live, make_agency):
    eia_full = make_agency("重庆碧水环境科技有限公司", items=("EIA-R",), index=False)
    eia_short = make_agency("重庆清源咨询有限公司", "承接环评、排污许可申报", index=False)
    survey = make_agency("重庆渝图测绘有限公司", items=("MAP-TOPO",), index=False)
    testing = make_agency("重庆质安检测有限公司", "质量检测", index=False)

    assert live.rebuild(TEST_TYPE) == 4

    assert set(search(live, "环评")) == {eia_full.pk, eia_short.pk}
    found = search(live, "测绘")
    assert survey.pk in found
    assert testing.pk not in found
    assert set(search(live, "测")) == {survey.pk, testing.pk}  # one character: unigrams


def test_index_and_remove_through_the_alias(live, make_agency):
    survey = make_agency("重庆渝图测绘有限公司", index=False)
    live.rebuild(TEST_TYPE)
    eia = make_agency("重庆环评技术服务有限公司", index=False)

    live.index(TEST_TYPE, [org_document(Organization.objects.get(pk=eia.pk))])
    live.remove(TEST_TYPE, [survey.pk])
    live.client.indices.refresh(index=live.alias(TEST_TYPE))

    assert search(live, "环评") == [eia.pk]
    assert search(live, "测绘") == []
