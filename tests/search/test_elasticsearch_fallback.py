"""Search is a projection: with Elasticsearch unreachable, the database backend answers."""

import logging

import pytest
from django.core.management import CommandError, call_command

from marketplace import search as search_api
from marketplace.search.backends import get_backend
from marketplace.search.backends.elastic import ElasticsearchBackend
from tests.search.conftest import TEST_TYPE, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.ELASTICSEARCH_TIMEOUT = 2
    backend = get_backend()
    assert isinstance(backend, ElasticsearchBackend)
    return backend


def test_search_falls_back_to_the_database_and_says_so(unreachable, make_agency, caplog):
    with caplog.at_level(logging.WARNING, logger="marketplace.search"):
        survey = make_agency("重庆渝图测绘有限公司")  # indexing: ES fails, database written
        make_agency("重庆检测有限公司", "质量检测")
        caplog.clear()
        assert search("测绘") == [survey.pk]
    (record,) = [r for r in caplog.records if "searching" in r.getMessage()]
    assert record.levelno == logging.WARNING
    assert "Elasticsearch is unavailable" in record.getMessage()
    assert "database backend" in record.getMessage()


def test_indexing_with_elasticsearch_down_is_logged_and_does_not_fail(
    unreachable, make_agency, caplog
):
    with caplog.at_level(logging.WARNING, logger="marketplace.search"):
        make_agency("重庆渝图测绘有限公司")
    assert "Elasticsearch index of test_org" in caplog.text
    assert "failed (ConnectionError" in caplog.text


def test_after_a_failure_searches_skip_elasticsearch_for_a_while(unreachable, make_agency):
    survey = make_agency("重庆渝图测绘有限公司")
    calls = []
    real_search = unreachable.client.search

    def counting_search(**kwargs):
        calls.append(kwargs)
        return real_search(**kwargs)

    unreachable.client.search = counting_search
    assert search("测绘") == [survey.pk]
    assert search("测绘") == [survey.pk]
    assert len(calls) == 1


def test_the_index_task_through_the_outbox_survives_elasticsearch_down(
    unreachable, make_agency, django_capture_on_commit_callbacks
):
    org = make_agency("重庆渝图测绘有限公司", index=False)
    with django_capture_on_commit_callbacks(execute=True):
        search_api.index_later(TEST_TYPE, org.pk)
    assert search("测绘") == [org.pk]


def test_rebuild_with_elasticsearch_down_rebuilds_the_database_and_fails_loudly(
    unreachable, make_agency
):
    org = make_agency("重庆渝图测绘有限公司", index=False)
    with pytest.raises(CommandError, match="only the database index of 'test_org' was rebuilt"):
        call_command("search_rebuild", "--type", TEST_TYPE, "--no-progress")
    assert search("测绘") == [org.pk]
