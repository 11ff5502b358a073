"""get_backend(): the database backend unless ELASTICSEARCH_URL is set; one per process."""

from marketplace.search.backends import get_backend
from marketplace.search.backends.database import DatabaseBackend
from marketplace.search.backends.elastic import ElasticsearchBackend


def test_without_elasticsearch_url_the_database_backend_serves():
    assert type(get_backend()) is DatabaseBackend


def test_with_elasticsearch_url_elasticsearch_serves_with_the_database_beside_it(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9200"
    settings.ELASTICSEARCH_INDEX_PREFIX = "zj"
    backend = get_backend()
    assert isinstance(backend, ElasticsearchBackend)
    assert isinstance(backend.database, DatabaseBackend)
    assert backend.alias("agency") == "zj-agency"


def test_the_backend_is_made_once_and_again_when_its_settings_change(settings):
    first = get_backend()
    assert get_backend() is first
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9200"
    assert get_backend() is not first
