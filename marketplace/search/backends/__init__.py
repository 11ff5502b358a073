"""Search backends: the database one by default, Elasticsearch when ELASTICSEARCH_URL is set.

Settings read here (all optional): ELASTICSEARCH_URL, ELASTICSEARCH_INDEX_PREFIX,
ELASTICSEARCH_TIMEOUT (seconds per request, default 5), ELASTICSEARCH_RETRY_AFTER (seconds to
search the database alone after Elasticsearch failed, default 30) and SEARCH_BATCH_SIZE
(objects per batch when rebuilding, default 500).
"""

import abc
import threading
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from marketplace.search.registry import DocumentType, SearchDocument

Progress = Callable[[int], object]  # called with the number of objects just indexed


class SearchBackend(abc.ABC):
    """What every backend does. Document types are looked up in the registry by name."""

    @abc.abstractmethod
    def index(self, doc_type: str, documents: list[SearchDocument]) -> None:
        """Add or replace these documents."""

    @abc.abstractmethod
    def remove(self, doc_type: str, pks: list[int]) -> None:
        """Drop these objects from the index; unknown ones are ignored."""

    @abc.abstractmethod
    def search_ids(self, doc_type: str, query: str, *, limit: int) -> list[int]:
        """Primary keys of the objects matching `query`, best match first."""

    @abc.abstractmethod
    def rebuild(self, doc_type: str, *, progress: Progress | None = None) -> int:
        """Index every object of `DocumentType.queryset()` afresh and drop the rest;
        returns how many objects were indexed."""


def batch_size() -> int:
    return int(getattr(settings, "SEARCH_BATCH_SIZE", 500))


def document_batches(
    document_type: DocumentType, *, size: int | None = None
) -> Iterator[list[SearchDocument]]:
    """The documents of every object in the type's queryset, a batch at a time.

    Keyset pagination on pk: each batch is one short query (with the queryset's own
    select/prefetch), however large the table."""
    size = size or batch_size()
    queryset = document_type.queryset().order_by("pk")
    last_pk = None
    while True:
        page = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
        objects = list(page[:size])
        if not objects:
            return
        yield document_type.documents(objects)
        last_pk = objects[-1].pk


_backend: SearchBackend | None = None
_lock = threading.Lock()


def get_backend() -> SearchBackend:
    """The configured backend, made once per process."""
    global _backend
    if _backend is None:
        with _lock:
            if _backend is None:
                _backend = _make_backend()
    return _backend


def reset_backend() -> None:
    global _backend
    with _lock:
        _backend = None


def _make_backend() -> SearchBackend:
    from marketplace.search.backends.database import DatabaseBackend

    database = DatabaseBackend()
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        return database
    from marketplace.search.backends.elastic import ElasticsearchBackend

    return ElasticsearchBackend(
        url=url,
        prefix=getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "marketplace"),
        database=database,
        timeout=float(getattr(settings, "ELASTICSEARCH_TIMEOUT", 5)),
        retry_after=float(getattr(settings, "ELASTICSEARCH_RETRY_AFTER", 30)),
    )


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs) -> None:
    # Tests switch ELASTICSEARCH_URL with override_settings; the next call builds anew.
    if setting.startswith("ELASTICSEARCH_"):
        reset_backend()
