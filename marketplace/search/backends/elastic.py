"""The Elasticsearch backend (elasticsearch.dsl): one index per document type behind an alias.

Indices are named `{prefix}-{doc_type}-{timestamp}` and reached through the alias
`{prefix}-{doc_type}`; a rebuild loads a new index and swaps the alias in one atomic request.
Text is analysed with the `cjk` chain (cjk_width, lowercase, cjk_bigram); the index analyzer
also keeps single characters so that one-character queries match, and the search analyzer
expands the product's synonym list (synonyms.txt) with a synonym_graph filter.

The database backend is always written too: when Elasticsearch cannot be reached, searches fall
back to it (with a WARNING in the log) and index updates never fail the caller.
"""

import logging
import time
from datetime import UTC, datetime

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError
from elasticsearch.dsl import Index, Mapping, Search, analyzer, token_filter
from elasticsearch.dsl.field import Long, Text
from elasticsearch.helpers import BulkIndexError, bulk

from marketplace.search import registry, synonyms
from marketplace.search.backends import Progress, SearchBackend, document_batches
from marketplace.search.backends.database import DatabaseBackend
from marketplace.search.registry import SearchDocument

logger = logging.getLogger("marketplace.search")

# What "cannot be reached" means: no connection, a timeout, or the cluster refusing the request
# (a 5xx, or a missing index before the first rebuild).
UNAVAILABLE = (TransportError, ApiError, BulkIndexError)
TITLE_BOOST = 3
# Elasticsearch's index.max_result_window default.
MAX_RESULTS = 10_000


class SearchEngineUnavailable(RuntimeError):
    pass


def index_analyzer():
    """cjk chain, keeping unigrams beside the bigrams (the `cjk` analyzer drops them)."""
    bigrams_and_unigrams = token_filter(
        "cjk_bigram_unigrams", type="cjk_bigram", output_unigrams=True
    )
    return analyzer(
        "cjk_index", tokenizer="standard", filter=["cjk_width", "lowercase", bigrams_and_unigrams]
    )


def search_analyzer():
    """cjk chain (a lone character stays a unigram), then the product's synonyms."""
    product_synonyms = token_filter(
        "marketplace_synonyms", type="synonym_graph", synonyms=synonyms.rules(), lenient=True
    )
    return analyzer(
        "cjk_search",
        tokenizer="standard",
        filter=["cjk_width", "lowercase", "cjk_bigram", product_synonyms],
    )


def index_definition(name: str) -> Index:
    mapping = Mapping()
    mapping.field("pk", Long())
    for field in ("title", "body"):
        mapping.field(field, Text(analyzer=index_analyzer(), search_analyzer=search_analyzer()))
    index = Index(name)
    index.mapping(mapping)
    return index


def query_body(query: str, *, limit: int) -> dict:
    """The search request body: every word of the query in title or body (cross_fields treats
    them as one field, as the database backend does), title three times the weight."""
    search = (
        Search()
        .query(
            "multi_match",
            query=query,
            fields=[f"title^{TITLE_BOOST}", "body"],
            type="cross_fields",
            operator="and",
        )
        .sort("_score", {"pk": "asc"})
        .source(False)
        .extra(track_total_hits=False)
    )
    return search[: min(limit, MAX_RESULTS)].to_dict()


class ElasticsearchBackend(SearchBackend):
    def __init__(
        self,
        *,
        url: str,
        prefix: str,
        database: DatabaseBackend | None = None,
        client: Elasticsearch | None = None,
        timeout: float = 5.0,
        retry_after: float = 30.0,
    ):
        self.prefix = prefix
        self.database = database or DatabaseBackend()
        # No retries: a second try at a dead node only delays the fallback.
        self.client = client or Elasticsearch(
            url, request_timeout=timeout, max_retries=0, retry_on_timeout=False
        )
        self.retry_after = retry_after
        self._unavailable_until = 0.0
        self._aliases_ready: set[str] = set()

    # --- names ------------------------------------------------------------------------------
    def alias(self, doc_type: str) -> str:
        return f"{self.prefix}-{doc_type}"

    def new_index_name(self, doc_type: str, now: datetime | None = None) -> str:
        now = now or datetime.now(UTC)
        return f"{self.alias(doc_type)}-{now:%Y%m%d%H%M%S%f}"

    # --- writes -----------------------------------------------------------------------------
    def index(self, doc_type: str, documents: list[SearchDocument]) -> None:
        self.database.index(doc_type, documents)
        if not documents:
            return
        try:
            self._ensure_alias(doc_type)
            # require_alias: a write must never auto-create an index under the alias's name.
            # wait_for: searchable on return, so the cached results renewed after it (search
            # services.RESULTS) are never read again from before the refresh.
            bulk(self.client, self._index_actions(self.alias(doc_type), documents),
                 require_alias=True, refresh="wait_for")
        except UNAVAILABLE as exc:
            self._log_write_failure("index", doc_type, [d.pk for d in documents], exc)

    def remove(self, doc_type: str, pks: list[int]) -> None:
        self.database.remove(doc_type, pks)
        if not pks:
            return
        actions = [
            {"_op_type": "delete", "_index": self.alias(doc_type), "_id": str(pk)} for pk in pks
        ]
        try:
            bulk(self.client, actions, ignore_status=(404,), require_alias=True,
                 refresh="wait_for")
        except UNAVAILABLE as exc:
            self._log_write_failure("remove", doc_type, pks, exc)

    def rebuild(self, doc_type: str, *, progress: Progress | None = None) -> int:
        """Zero downtime: load a new index while searches use the old one, then swap the alias
        atomically and delete the old index. The database backend is rebuilt on the way."""
        document_type = registry.get(doc_type)
        alias = self.alias(doc_type)
        new_index = self.new_index_name(doc_type)
        try:
            # No refreshes while loading: one at the end makes everything searchable at once.
            self._create_index(new_index, settings={"refresh_interval": "-1"})
        except UNAVAILABLE as exc:
            self.database.rebuild(doc_type, progress=progress)
            raise SearchEngineUnavailable(
                f"Elasticsearch is unavailable ({exc}); only the database index of "
                f"{doc_type!r} was rebuilt"
            ) from exc
        count = 0
        try:
            for documents in document_batches(document_type):
                self.database.index(doc_type, documents)
                bulk(self.client, self._index_actions(new_index, documents))
                count += len(documents)
                if progress:
                    progress(len(documents))
            self.client.indices.put_settings(
                index=new_index, settings={"index": {"refresh_interval": None}}
            )
            self.client.indices.refresh(index=new_index)
            self._swap_alias(alias, new_index)
        except BaseException:
            self._delete_quietly(new_index)
            raise
        self.database.prune(doc_type)
        self.database.optimize()
        self._aliases_ready.add(alias)
        return count

    # --- reads ------------------------------------------------------------------------------
    def search_ids(self, doc_type: str, query: str, *, limit: int) -> list[int]:
        if not query.strip() or limit <= 0:
            return []
        if time.monotonic() < self._unavailable_until:
            logger.debug("Elasticsearch marked unavailable; searching the database backend")
            return self.database.search_ids(doc_type, query, limit=limit)
        try:
            response = self.client.search(
                index=self.alias(doc_type), body=query_body(query, limit=limit)
            )
        except UNAVAILABLE as exc:
            self._unavailable_until = time.monotonic() + self.retry_after
            logger.warning(
                "Elasticsearch is unavailable (%s); searching %r with the database backend "
                "instead for the next %.0f s",
                _describe(exc), doc_type, self.retry_after,
            )
            return self.database.search_ids(doc_type, query, limit=limit)
        return [int(hit["_id"]) for hit in response["hits"]["hits"]]

    # --- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _index_actions(index: str, documents: list[SearchDocument]) -> list[dict]:
        return [
            {
                "_op_type": "index",
                "_index": index,
                "_id": str(document.pk),
                "_source": {"pk": document.pk, "title": document.title, "body": document.body},
            }
            for document in documents
        ]

    def _create_index(self, name: str, *, settings: dict | None = None, aliases=None) -> None:
        body = index_definition(name).to_dict()
        body["settings"].update(settings or {})
        self.client.indices.create(index=name, **body, **({"aliases": aliases} if aliases else {}))

    def _ensure_alias(self, doc_type: str) -> None:
        """Before the first rebuild there is no index: make an empty one behind the alias."""
        alias = self.alias(doc_type)
        if alias in self._aliases_ready:
            return
        if not self.client.indices.exists_alias(name=alias):
            self._create_index(self.new_index_name(doc_type), aliases={alias: {}})
        self._aliases_ready.add(alias)

    def _swap_alias(self, alias: str, new_index: str) -> None:
        try:
            old_indices = sorted(self.client.indices.get_alias(name=alias).body)
        except NotFoundError:
            old_indices = []
        actions: list[dict] = [{"remove": {"index": old, "alias": alias}} for old in old_indices]
        if not old_indices and self.client.indices.exists(index=alias):
            # A concrete index under the alias's name (an old write auto-created it) goes too.
            actions.append({"remove_index": {"index": alias}})
        actions.append({"add": {"index": new_index, "alias": alias}})
        self.client.indices.update_aliases(actions=actions)
        for old in old_indices:
            self._delete_quietly(old)

    def _delete_quietly(self, index: str) -> None:
        try:
            self.client.indices.delete(index=index, ignore_unavailable=True)
        except UNAVAILABLE as exc:
            logger.warning("Could not delete Elasticsearch index %s: %s", index, _describe(exc))

    def _log_write_failure(self, action: str, doc_type: str, pks: list[int], exc) -> None:
        logger.warning(
            "Elasticsearch %s of %s %s failed (%s); the database index is up to date, run "
            "`manage.py search_rebuild --type %s` once Elasticsearch is back",
            action, doc_type, pks[:20], _describe(exc), doc_type,
        )


def _describe(exc: BaseException) -> str:
    if isinstance(exc, BulkIndexError):
        return f"{len(exc.errors)} documents refused, first: {exc.errors[:1]}"
    return f"{type(exc).__name__}: {exc}"
