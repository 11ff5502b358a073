"""Keeping the search index in step with the database (the index is a projection of it)."""

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

from marketplace.generations import CacheGeneration
from marketplace.search import registry
from marketplace.search.backends import Progress, get_backend
from marketplace.search.text import parse_query

logger = logging.getLogger("marketplace.search")


# The cached ranked ids of every search, renewed by any write to the index: one generation for
# all document types keeps that simple (a project's change also retires the directory's
# searches, which are the cheaper ones).
RESULTS = CacheGeneration("search-results", "MARKETPLACE_SEARCH_CACHE_SECONDS")


# Set by `fresh_results()`: searches made meanwhile ask the backend, never the kept results.
_FRESH: ContextVar[bool] = ContextVar("search_fresh_results", default=False)


@contextmanager
def fresh_results() -> Iterator[None]:
    """Searches inside rank afresh: for deliveries (saved searches), where a result kept by
    another process before an index write would lose a match for good."""
    token = _FRESH.set(True)
    try:
        yield
    finally:
        _FRESH.reset(token)


def result_key(doc_type: str, query: str, limit: int) -> str:
    """One key for every spelling of the same search (width, case, spaces, punctuation)."""
    terms = parse_query(query).terms
    return hashlib.sha256(f"{doc_type}:{limit}:{terms!r}".encode()).hexdigest()


def search_ids(*, doc_type: str, query: str, limit: int) -> list[int]:
    """The backend's ranked ids, kept a while: the same few words are searched again and again
    (issue 14 §1), and ranking every match is most of a search's cost."""
    def compute() -> list[int]:
        return get_backend().search_ids(doc_type, query, limit=limit)

    if settings.MARKETPLACE_SEARCH_CACHE_SECONDS <= 0 or _FRESH.get():
        return compute()
    return RESULTS.cached(result_key(doc_type, query, limit), compute)


def index_objects(*, doc_type: str, pks: list[int]) -> None:
    """(Re)index these objects of `doc_type`; those its queryset no longer holds are removed.

    Idempotent: it reads the current rows, so a late or repeated call indexes the truth."""
    try:
        document_type = registry.get(doc_type)
    except LookupError:
        logger.error("search.index: no document type %r is registered; ignoring %s",
                     doc_type, pks)
        return
    objects = list(document_type.queryset().filter(pk__in=list(pks)))
    backend = get_backend()
    if objects:
        backend.index(doc_type, document_type.documents(objects))
    missing = sorted(set(pks) - {obj.pk for obj in objects})
    if missing:
        backend.remove(doc_type, missing)
    # After the write: in a transaction again after commit, since a search in between would
    # cache what it read then under the new generation.
    RESULTS.renew_now_and_after_commit()


def remove_objects(*, doc_type: str, pks: list[int]) -> None:
    get_backend().remove(doc_type, list(pks))
    RESULTS.renew_now_and_after_commit()


def rebuild(*, doc_type: str, progress: Progress | None = None) -> int:
    """Index every object of `doc_type` from the database; returns how many."""
    registry.get(doc_type)  # unknown types fail here, before any work
    count = get_backend().rebuild(doc_type, progress=progress)
    RESULTS.renew()
    return count
