"""The database backend: CJK bigram tokens in SearchEntry, searched with SQLite FTS5 (bm25) or
PostgreSQL full text (ts_rank), title weighing about three times the body on both."""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from marketplace.search import registry
from marketplace.search.backends import Progress, SearchBackend, document_batches
from marketplace.search.models import SearchEntry
from marketplace.search.registry import SearchDocument
from marketplace.search.text import ParsedQuery, document_tokens, fts5_match, parse_query, tsquery

# bm25 weights per FTS5 column (doc_key, title_tokens, body_tokens): the type token never scores.
# Ranking every match is the cost; the join to SearchEntry is done for the top `limit` only.
_SQLITE_SEARCH = """
    SELECT e.object_id
    FROM (
        SELECT rowid, bm25(search_fts, 0.0, 3.0, 1.0) AS score
        FROM search_fts
        WHERE search_fts MATCH %s
        ORDER BY score, rowid
        LIMIT %s
    ) AS hit
    JOIN search_searchentry e ON e.id = hit.rowid
    ORDER BY hit.score, e.object_id
"""
# ts_rank weights are {D, C, B, A}: body (B) a third of title (A). No length normalization: it
# walks each whole vector again, doubling the ranking cost, and titles are short anyway.
_POSTGRES_SEARCH = """
    SELECT object_id
    FROM search_searchentry, to_tsquery('simple', %s) AS query
    WHERE doc_type = %s AND search_vector @@ query
    ORDER BY ts_rank('{0, 0, 0.33, 1}', search_vector, query) DESC, object_id
    LIMIT %s
"""


class DatabaseBackend(SearchBackend):
    def index(self, doc_type: str, documents: list[SearchDocument]) -> None:
        now = timezone.now()
        # One row per object even if a caller repeats one (an upsert may touch a row once).
        latest = {document.pk: document for document in documents}
        entries = [
            SearchEntry(
                doc_type=doc_type,
                object_id=document.pk,
                title_tokens=document_tokens(document.title),
                body_tokens=document_tokens(document.body),
                updated_at=now,
            )
            for document in latest.values()
        ]
        SearchEntry.objects.bulk_create(
            entries,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["doc_type", "object_id"],
            update_fields=["title_tokens", "body_tokens", "updated_at"],
        )

    def remove(self, doc_type: str, pks: list[int]) -> None:
        SearchEntry.objects.filter(doc_type=doc_type, object_id__in=list(pks)).delete()

    def search_ids(self, doc_type: str, query: str, *, limit: int) -> list[int]:
        parsed = parse_query(query)
        if not parsed or limit <= 0:
            return []
        sql, params = self._search_sql(doc_type, parsed, limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def rebuild(self, doc_type: str, *, progress: Progress | None = None) -> int:
        """Upserts a batch at a time (each its own short transaction, so searches and writers
        carry on meanwhile), then drops the entries of objects no longer in the queryset."""
        document_type = registry.get(doc_type)
        count = 0
        for documents in document_batches(document_type):
            self.index(doc_type, documents)
            count += len(documents)
            if progress:
                progress(len(documents))
        self.prune(doc_type)
        self.optimize()
        return count

    def prune(self, doc_type: str) -> int:
        """Drop entries whose object has left the type's queryset (deleted, or filtered out)."""
        current = registry.get(doc_type).queryset().order_by().values("pk")
        deleted, _ = (
            SearchEntry.objects.filter(doc_type=doc_type).exclude(object_id__in=current).delete()
        )
        return deleted

    def optimize(self) -> None:
        """After a bulk load: on SQLite merge the FTS5 segments into one b-tree; on PostgreSQL
        move the GIN index's pending list into the index and refresh the planner statistics
        (autovacuum would do both, later)."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            elif connection.vendor == "postgresql":
                cursor.execute("SELECT gin_clean_pending_list('search_entry_vector_gin')")
                cursor.execute("ANALYZE search_searchentry")

    @staticmethod
    def _search_sql(doc_type: str, parsed: ParsedQuery, limit: int) -> tuple[str, list]:
        vendor = connection.vendor
        if vendor == "sqlite":
            # The type is the single token 't' + hex(UTF-8 name), as the index triggers write it.
            doc_key = "t" + doc_type.encode().hex()
            match = f'{{doc_key}} : "{doc_key}" AND {{title_tokens body_tokens}} : ('
            return _SQLITE_SEARCH, [match + fts5_match(parsed) + ")", limit]
        if vendor == "postgresql":
            return _POSTGRES_SEARCH, [tsquery(parsed), doc_type, limit]
        raise ImproperlyConfigured(
            f"The database search backend supports SQLite and PostgreSQL, not {vendor}; "
            "set ELASTICSEARCH_URL to search with Elasticsearch"
        )
