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

import json

from django.db.models import F, Lookup
from django.db.models.expressions import RawSQL

from marketplace.search.registry import DocumentType, SearchDocument, register

__all__ = [
    "DocumentType",
    "SearchDocument",
    "register",
    "search_ids",
    "ranked",
    "is_ranked",
    "in_order",
    "ids_in_order",
    "index_later",
    "remove_later",
]


# The alias `ranked` orders by, and by which `is_ranked` knows a search's queryset.
RANK = "search_rank"


def search_ids(doc_type: str, query: str, *, limit: int = 1000) -> list[int]:
    from marketplace.search import services

    return services.search_ids(doc_type=doc_type, query=query, limit=limit)


class RankOrder(RawSQL):
    """The rank as SQL, with the ids it ranks (`ids_in_order` sorts by them in Python)."""

    def __init__(self, sql: str, params: tuple, ids: list[int]):
        super().__init__(sql, params)
        self.ids = ids


class IdAmong(Lookup):
    """`lhs` is one of `rhs`, a list of integer ids passed as one parameter: an array on
    PostgreSQL, a JSON list on SQLite. `pk__in` with a thousand ids gave Django a thousand
    values to prepare and psycopg a thousand placeholders to rewrite, on every search page:
    more than the search's own SQL (issue 14 §1)."""

    lookup_name = "among"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        ids = [int(pk) for pk in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*params, ids]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(ids)]


def ranked(queryset, ids: list[int]):
    """`queryset` restricted to `ids`, ordered as `ids` are (best match first).

    The rank is one parameterised expression (an array or JSON position), not a CASE with a
    branch per id: compiling a thousand-branch CASE on every request cost far more than the
    search itself.
    """
    from django.db import connections

    if not ids:
        return queryset.none()
    ids = list(ids)
    meta = queryset.model._meta
    column = f'"{meta.db_table}"."{meta.pk.column}"'
    if connections[queryset.db].vendor == "postgresql":
        order = RankOrder(f"array_position(%s::bigint[], {column})", (ids,), ids)
    else:
        # The id's place in ",3,17,5," (ids are integers, each once): one string search in C
        # per row. A json_each subquery per row scanned the list as a virtual table, a
        # thousand rows times a thousand ids (issue 14 §1: most of a text search's time).
        order = RankOrder(f"instr(%s, ',' || {column} || ',')",
                          ("," + ",".join(str(int(pk)) for pk in ids) + ",",), ids)
    return queryset.filter(IdAmong(F("pk"), ids)).alias(**{RANK: order}).order_by(RANK)


def ids_in_order(queryset) -> list[int]:
    """The ids of a `ranked` queryset (filtered further or not), in its order.

    Ordered by the rank alone, the ids that pass are read unordered and sorted here by the
    search's own list: ranking in SQL looked each row's id up in the thousand (7.7 ms against
    2.5 ms unordered on PostgreSQL). Any other order (the directory's by score or name) is
    the database's."""
    if tuple(queryset.query.order_by) != (RANK,):
        return list(queryset.values_list("pk", flat=True))
    passing = set(queryset.order_by().values_list("pk", flat=True))
    return [pk for pk in queryset.query.annotations[RANK].ids if pk in passing]


def in_order(queryset, ids: list[int]) -> list:
    """The rows of `queryset` with these ids, in the ids' order (a page of a search's results,
    read after its ids); an id `queryset` no longer holds is left out rather than failing."""
    rows = {row.pk: row for row in queryset.filter(pk__in=list(ids))}
    return [rows[pk] for pk in ids if pk in rows]


def is_ranked(queryset) -> bool:
    """Whether `queryset` is restricted to a search's results by `ranked` (so it has at most
    the search's limit of rows, whatever order it was given afterwards)."""
    return RANK in queryset.query.annotations


def index_later(doc_type: str, pk: int) -> None:
    from marketplace.outbox.services import enqueue
    from marketplace.search import tasks as search_tasks  # tasks call services: import here
    enqueue(search_tasks.index, doc_type=doc_type, pks=[pk])


def remove_later(doc_type: str, pk: int) -> None:
    from marketplace.outbox.services import enqueue
    from marketplace.search import tasks as search_tasks  # tasks call services: import here
    enqueue(search_tasks.remove, doc_type=doc_type, pks=[pk])
