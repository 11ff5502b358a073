"""index_later / remove_later go through the outbox after commit to the search.* tasks."""

import logging

import pytest
from celery import current_app

from marketplace import search as search_api
from marketplace.accounts.models import Organization
from marketplace.outbox.models import OutboxMessage
from marketplace.search import tasks
from tests.search.conftest import TEST_TYPE, search

pytestmark = pytest.mark.django_db


def test_the_tasks_are_registered_under_the_names_the_outbox_sends():
    assert current_app.tasks["search.index"].name == tasks.index.name == "search.index"
    assert current_app.tasks["search.remove"].name == tasks.remove.name == "search.remove"


def test_index_later_indexes_after_commit(make_agency, django_capture_on_commit_callbacks):
    org = make_agency("重庆测绘院", index=False)
    with django_capture_on_commit_callbacks(execute=True):
        search_api.index_later(TEST_TYPE, org.pk)
        assert search("测绘") == []  # nothing before the commit
    assert search("测绘") == [org.pk]
    message = OutboxMessage.objects.get(task_name="search.index")
    assert message.kwargs == {"doc_type": TEST_TYPE, "pks": [org.pk]}
    assert message.sent_at is not None


def test_remove_later_removes_after_commit(make_agency, django_capture_on_commit_callbacks):
    org = make_agency("重庆测绘院")
    with django_capture_on_commit_callbacks(execute=True):
        search_api.remove_later(TEST_TYPE, org.pk)
    assert search("测绘") == []


def test_the_index_task_removes_objects_that_are_gone(make_agency):
    org = make_agency("重庆测绘院")
    Organization.objects.filter(pk=org.pk).delete()
    tasks.index.apply(kwargs={"doc_type": TEST_TYPE, "pks": [org.pk]}).get()
    assert search("测绘") == []


def test_the_index_task_ignores_an_unknown_type_with_an_error_in_the_log(caplog):
    with caplog.at_level(logging.ERROR, logger="marketplace.search"):
        tasks.index.apply(kwargs={"doc_type": "nope", "pks": [1]}).get()
    assert "no document type 'nope'" in caplog.text


def test_ranked_keeps_the_search_order(make_agency):
    first = make_agency("重庆测绘院")
    second = make_agency("重庆某公司", "房产测绘")
    ids = search("测绘")
    assert ids == [first.pk, second.pk]
    queryset = Organization.objects.all()
    assert list(search_api.ranked(queryset, ids[::-1])) == [second, first]
