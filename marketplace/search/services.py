"""Keeping the search index in step with the database (the index is a projection of it)."""

import logging

from marketplace.search import registry
from marketplace.search.backends import Progress, get_backend

logger = logging.getLogger("marketplace.search")


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


def remove_objects(*, doc_type: str, pks: list[int]) -> None:
    get_backend().remove(doc_type, list(pks))


def rebuild(*, doc_type: str, progress: Progress | None = None) -> int:
    """Index every object of `doc_type` from the database; returns how many."""
    registry.get(doc_type)  # unknown types fail here, before any work
    return get_backend().rebuild(doc_type, progress=progress)
