"""Keeping the database index in step: replace, remove, rebuild, types kept apart."""

import pytest

from marketplace.accounts.models import Organization
from marketplace.search import SearchDocument, services
from marketplace.search.backends import get_backend
from marketplace.search.backends.database import DatabaseBackend
from marketplace.search.models import SearchEntry
from tests.search.conftest import TEST_TYPE, search

pytestmark = pytest.mark.django_db


def test_the_default_backend_is_the_database_one():
    assert isinstance(get_backend(), DatabaseBackend)
    assert get_backend() is get_backend()


def test_reindexing_replaces_the_old_text(make_agency):
    org = make_agency("重庆甲有限公司", "测绘")
    Organization.objects.filter(pk=org.pk).update(address="环评")
    services.index_objects(doc_type=TEST_TYPE, pks=[org.pk])
    assert search("测绘") == []
    assert search("环评") == [org.pk]
    assert SearchEntry.objects.filter(doc_type=TEST_TYPE, object_id=org.pk).count() == 1


def test_removal_drops_the_object_from_results(make_agency):
    gone = make_agency("重庆测绘甲院")
    kept = make_agency("重庆测绘乙院")
    get_backend().remove(TEST_TYPE, [gone.pk, 999_999])
    assert search("测绘") == [kept.pk]


def test_indexing_an_object_that_no_longer_exists_removes_it(make_agency):
    org = make_agency("重庆测绘院")
    pk = org.pk
    org.delete()
    services.index_objects(doc_type=TEST_TYPE, pks=[pk])
    assert search("测绘") == []
    assert not SearchEntry.objects.filter(object_id=pk).exists()


def test_rebuild_indexes_everything_and_drops_what_left(make_agency, settings):
    settings.SEARCH_BATCH_SIZE = 2  # several batches
    never_indexed = [make_agency(f"重庆测绘{n}院", index=False) for n in range(5)]
    deleted = make_agency("重庆测绘旧院")
    exited_owner = make_agency("重庆测绘变更院")
    Organization.objects.filter(pk=deleted.pk).delete()
    # Out of the type's queryset (not an agency any more): its entry must go too.
    Organization.objects.filter(pk=exited_owner.pk).update(
        kind=Organization.Kind.REGULATOR
    )
    batches = []
    count = services.rebuild(doc_type=TEST_TYPE, progress=batches.append)
    assert count == 5
    assert batches == [2, 2, 1]
    assert set(search("测绘")) == {org.pk for org in never_indexed}
    assert SearchEntry.objects.filter(doc_type=TEST_TYPE).count() == 5


def test_rebuild_does_not_touch_other_document_types(make_agency):
    make_agency("重庆测绘院")
    get_backend().index("other", [SearchDocument(pk=1, title="测绘", body="")])
    services.rebuild(doc_type=TEST_TYPE)
    assert get_backend().search_ids("other", "测绘", limit=10) == [1]


def test_document_types_do_not_see_each_others_objects(make_agency):
    org = make_agency("重庆测绘院")
    get_backend().index("other", [SearchDocument(pk=org.pk + 1, title="测绘", body="")])
    assert search("测绘") == [org.pk]
    assert get_backend().search_ids("other", "测绘", limit=10) == [org.pk + 1]


def test_a_document_type_name_is_not_a_searchable_word(make_agency):
    make_agency("重庆测绘院")
    assert search("test") == []
    assert search("org") == []


def test_the_same_object_twice_in_one_batch_is_indexed_once():
    backend = get_backend()
    backend.index("other", [SearchDocument(1, "测绘", ""), SearchDocument(1, "环评", "")])
    assert backend.search_ids("other", "环评", limit=10) == [1]
    assert backend.search_ids("other", "测绘", limit=10) == []
