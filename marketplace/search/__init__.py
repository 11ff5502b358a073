"""Full-text search behind one interface (DESIGN §2 "Search is a projection").

Public API, used by every app:

    from marketplace import search
    search.register(DocumentType(...))          # in AppConfig.ready()
    ids = search.search_ids("agency", "环评")    # ranked primary keys, best first
    qs = search.ranked(queryset, ids)           # filter a queryset to ids, in rank order
    search.index_later("agency", pk)            # after commit, through the task queue
    search.remove_later("agency", pk)

The backend is the database one unless ELASTICSEARCH_URL is set; an unreachable Elasticsearch
falls back to the database backend with a warning in the log.
"""

from marketplace.search.registry import DocumentType, SearchDocument, register

__all__ = [
    "DocumentType",
    "SearchDocument",
    "register",
    "search_ids",
    "ranked",
    "index_later",
    "remove_later",
]


def search_ids(doc_type: str, query: str, *, limit: int = 1000) -> list[int]:
    from marketplace.search.backends import get_backend

    return get_backend().search_ids(doc_type, query, limit=limit)


def ranked(queryset, ids: list[int]):
    """`queryset` restricted to `ids`, ordered as `ids` are (best match first)."""
    from django.db.models import Case, IntegerField, Value, When

    if not ids:
        return queryset.none()
    order = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)],
                 output_field=IntegerField())
    return queryset.filter(pk__in=ids).alias(search_rank=order).order_by("search_rank")


def index_later(doc_type: str, pk: int) -> None:
    from marketplace.outbox.services import enqueue

    enqueue("search.index", doc_type=doc_type, pks=[pk])


def remove_later(doc_type: str, pk: int) -> None:
    from marketplace.outbox.services import enqueue

    enqueue("search.remove", doc_type=doc_type, pks=[pk])
