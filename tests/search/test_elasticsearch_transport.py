"""The Elasticsearch backend against a recorded-response node: the real client and bulk
helper run, the cluster is a fake (tests/search/fake_es.py)."""

import logging

import pytest

from marketplace.search import SearchDocument
from marketplace.search.backends.elastic import ElasticsearchBackend, index_definition
from marketplace.search.models import SearchEntry
from tests.search.conftest import TEST_TYPE
from tests.search.fake_es import FakeCluster

pytestmark = pytest.mark.django_db

ALIAS = f"test-{TEST_TYPE}"


@pytest.fixture
def cluster():
    return FakeCluster()


@pytest.fixture
def backend(cluster):
    return ElasticsearchBackend(url="http://127.0.0.1:9200", prefix="test",
                                client=cluster.client())


def docs(*pairs) -> list[SearchDocument]:
    return [SearchDocument(pk=pk, title=title, body="") for pk, title in pairs]


def test_the_first_write_creates_an_index_behind_the_alias_then_bulk_indexes(backend, cluster):
    backend.index(TEST_TYPE, docs((1, "重庆测绘院"), (2, "环评公司")))

    head, create, bulk = cluster.requests
    assert head.line == f"HEAD /_alias/{ALIAS}"
    assert create.method == "PUT" and create.path.startswith(f"/{ALIAS}-")
    expected = index_definition("x").to_dict()
    assert create.body == {**expected, "aliases": {ALIAS: {}}}
    assert bulk.line == "PUT /_bulk"
    assert bulk.params == {"require_alias": "true", "refresh": "wait_for"}
    assert bulk.body == [
        {"index": {"_index": ALIAS, "_id": "1"}},
        {"pk": 1, "title": "重庆测绘院", "body": ""},
        {"index": {"_index": ALIAS, "_id": "2"}},
        {"pk": 2, "title": "环评公司", "body": ""},
    ]


def test_later_writes_go_straight_to_bulk(backend, cluster):
    backend.index(TEST_TYPE, docs((1, "甲")))
    backend.index(TEST_TYPE, docs((2, "乙")))
    assert [r.path for r in cluster.requests][-1] == "/_bulk"
    assert len(cluster.find("HEAD", "/_alias/.*")) == 1


def test_indexing_also_writes_the_database_backend(backend):
    backend.index(TEST_TYPE, docs((7, "重庆测绘院")))
    assert backend.database.search_ids(TEST_TYPE, "测绘", limit=10) == [7]


def test_removal_deletes_by_id_and_a_missing_document_is_fine(backend, cluster):
    backend.index(TEST_TYPE, docs((1, "甲")))
    backend.remove(TEST_TYPE, [1, 2])
    bulk = cluster.requests[-1]
    assert bulk.params == {"require_alias": "true", "refresh": "wait_for"}
    assert bulk.body == [
        {"delete": {"_index": ALIAS, "_id": "1"}},
        {"delete": {"_index": ALIAS, "_id": "2"}},
    ]
    assert not SearchEntry.objects.filter(doc_type=TEST_TYPE).exists()


def test_search_sends_the_query_body_and_returns_ids_in_order(backend, cluster):
    cluster.aliases[ALIAS] = {"test-index"}
    cluster.search_hits = ["5", "3"]
    assert backend.search_ids(TEST_TYPE, "环评", limit=20) == [5, 3]
    request = cluster.requests[-1]
    assert request.line == f"POST /{ALIAS}/_search"
    assert request.body["query"]["multi_match"]["query"] == "环评"
    assert request.body["size"] == 20


def test_rebuild_loads_a_new_index_and_swaps_the_alias_atomically(
    backend, cluster, make_agency, settings
):
    settings.SEARCH_BATCH_SIZE = 2
    orgs = [make_agency(f"重庆测绘{n}院", index=False) for n in range(3)]
    old = f"{ALIAS}-20250101000000000000"
    cluster.indices[old] = {}
    cluster.aliases[ALIAS] = {old}

    assert backend.rebuild(TEST_TYPE) == 3

    (create,) = cluster.find("PUT", f"/{ALIAS}-\\d{{20}}")
    new = create.path.lstrip("/")
    assert new != old
    assert create.body["settings"]["refresh_interval"] == "-1"
    bulks = cluster.find("PUT", "/_bulk")
    assert [len(b.body) // 2 for b in bulks] == [2, 1]
    assert all(line["index"]["_index"] == new for b in bulks for line in b.body[::2])
    (swap,) = cluster.find("POST", "/_aliases")
    assert swap.body == {"actions": [
        {"remove": {"index": old, "alias": ALIAS}},
        {"add": {"index": new, "alias": ALIAS}},
    ]}
    lines = cluster.lines()
    # Settled and searchable before the swap; the old index deleted only after it.
    assert lines.index(f"PUT /{new}/_settings") < lines.index("POST /_aliases")
    assert lines.index(f"POST /{new}/_refresh") < lines.index("POST /_aliases")
    assert lines.index("POST /_aliases") < lines.index(f"DELETE /{old}")
    assert cluster.aliases[ALIAS] == {new}
    assert set(cluster.documents[new]) == {str(org.pk) for org in orgs}
    # The database backend, the fallback, is rebuilt on the way.
    assert set(backend.database.search_ids(TEST_TYPE, "测绘", limit=10)) == {
        org.pk for org in orgs
    }


def test_first_rebuild_adds_the_alias_without_removing_anything(backend, cluster, make_agency):
    make_agency("重庆测绘院", index=False)
    backend.rebuild(TEST_TYPE)
    (swap,) = cluster.find("POST", "/_aliases")
    assert [next(iter(action)) for action in swap.body["actions"]] == ["add"]
    assert not cluster.find("DELETE", ".*")


def test_a_failed_bulk_is_logged_and_never_fails_the_caller(backend, cluster, caplog):
    cluster.aliases[ALIAS] = {"test-index"}
    cluster.handle = lambda method, target, raw: (503, {"error": "unavailable", "status": 503})
    with caplog.at_level(logging.WARNING, logger="marketplace.search"):
        backend.index(TEST_TYPE, docs((1, "重庆测绘院")))
        backend.remove(TEST_TYPE, [2])
    assert "Elasticsearch index of test_org [1] failed" in caplog.text
    assert "Elasticsearch remove of test_org [2] failed" in caplog.text
    assert backend.database.search_ids(TEST_TYPE, "测绘", limit=10) == [1]
