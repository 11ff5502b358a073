"""A recorded-response Elasticsearch node for elastic_transport: the real client runs, every
request is recorded, and a tiny in-memory cluster answers (indices, aliases, bulk, search)."""

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse
from elasticsearch import Elasticsearch


@dataclass
class Request:
    method: str
    path: str
    params: dict
    body: object  # dict, list of NDJSON lines, or None

    @property
    def line(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class FakeCluster:
    requests: list[Request] = field(default_factory=list)
    indices: dict[str, dict] = field(default_factory=dict)  # name -> creation body
    aliases: dict[str, set[str]] = field(default_factory=dict)  # alias -> indices
    documents: dict[str, dict[str, dict]] = field(default_factory=dict)  # index -> id -> source
    search_hits: list[str] = field(default_factory=list)  # ids the next searches return

    def client(self) -> Elasticsearch:
        return Elasticsearch("http://127.0.0.1:9200", node_class=self.node_class(), max_retries=0)

    def node_class(self) -> type[BaseNode]:
        cluster = self

        class RecordingNode(BaseNode):
            _CLIENT_META_HTTP_CLIENT = ("fake", "1.0")

            def perform_request(self, method, target, body=None, headers=None, **kwargs):
                status, payload = cluster.handle(method, target, body)
                meta = ApiResponseMeta(
                    status=status,
                    http_version="1.1",
                    headers=HttpHeaders({
                        "content-type": "application/json",
                        "x-elastic-product": "Elasticsearch",
                    }),
                    duration=0.0,
                    node=self.config,
                )
                raw = b"" if method == "HEAD" else json.dumps(payload).encode()
                return NodeApiResponse(meta, raw)

        return RecordingNode

    # --- what the tests look at -------------------------------------------------------------
    def lines(self) -> list[str]:
        return [request.line for request in self.requests]

    def find(self, method: str, pattern: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)]

    def resolve(self, name: str) -> list[str]:
        return sorted(self.aliases.get(name, ())) or ([name] if name in self.indices else [])

    # --- the cluster ------------------------------------------------------------------------
    def handle(self, method: str, target: str, raw: bytes | None) -> tuple[int, object]:
        url = urlsplit(target)
        path = unquote(url.path)
        params = dict(parse_qsl(url.query))
        body = _decode(raw, ndjson=path.endswith("/_bulk"))
        self.requests.append(Request(method, path, params, body))
        parts = [p for p in path.split("/") if p]

        if path == "/_bulk" or (len(parts) == 2 and parts[1] == "_bulk"):
            return self._bulk(body, default_index=parts[0] if len(parts) == 2 else None,
                              require_alias=params.get("require_alias") == "true")
        if path == "/_aliases" and method == "POST":
            return self._update_aliases(body["actions"])
        if len(parts) == 2 and parts[0] == "_alias":
            targets = self.aliases.get(parts[1])
            if not targets:
                return 404, _error(404, f"alias [{parts[1]}] missing")
            return 200, {index: {"aliases": {parts[1]: {}}} for index in sorted(targets)}
        if len(parts) == 2 and parts[1] == "_search":
            if not self.resolve(parts[0]):
                return 404, _error(404, f"no such index [{parts[0]}]")
            hits = [{"_index": parts[0], "_id": i, "_score": 1.0} for i in self.search_hits]
            return 200, {"took": 1, "timed_out": False, "hits": {"hits": hits}}
        if len(parts) == 2 and parts[1] in ("_refresh", "_settings"):
            return 200, {"acknowledged": True, "_shards": {"total": 1, "successful": 1}}
        if len(parts) == 1 and method == "PUT":
            self.indices[parts[0]] = body
            for alias in (body or {}).get("aliases", {}):
                self.aliases.setdefault(alias, set()).add(parts[0])
            return 200, {"acknowledged": True, "index": parts[0]}
        if len(parts) == 1 and method == "HEAD":
            return (200 if self.resolve(parts[0]) else 404), None
        if len(parts) == 1 and method == "DELETE":
            self.indices.pop(parts[0], None)
            self.documents.pop(parts[0], None)
            return 200, {"acknowledged": True}
        return 400, _error(400, f"the fake cluster does not know {method} {path}")

    def _bulk(self, lines, *, default_index, require_alias) -> tuple[int, object]:
        items = []
        pending = list(lines)
        while pending:
            action = pending.pop(0)
            (op, meta), = action.items()
            source = pending.pop(0) if op in ("index", "create") else None
            name = meta.get("_index", default_index)
            if require_alias and name not in self.aliases:
                items.append({op: {"_index": name, "_id": meta["_id"], "status": 404,
                                   "error": {"type": "index_not_found_exception"}}})
                continue
            for index in self.resolve(name) or [name]:
                docs = self.documents.setdefault(index, {})
                if op == "delete":
                    status = 200 if docs.pop(meta["_id"], None) is not None else 404
                else:
                    docs[meta["_id"]] = source
                    status = 201
                items.append({op: {"_index": index, "_id": meta["_id"], "status": status}})
        errors = any(item[next(iter(item))]["status"] >= 300 for item in items)
        return 200, {"took": 1, "errors": errors, "items": items}

    def _update_aliases(self, actions) -> tuple[int, object]:
        for action in actions:
            (op, spec), = action.items()
            if op == "add":
                self.aliases.setdefault(spec["alias"], set()).add(spec["index"])
            elif op == "remove":
                self.aliases.get(spec["alias"], set()).discard(spec["index"])
            elif op == "remove_index":
                self.indices.pop(spec["index"], None)
        return 200, {"acknowledged": True}


def _decode(raw: bytes | None, *, ndjson: bool):
    if not raw:
        return None
    text = raw.decode("utf-8")
    if ndjson:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


def _error(status: int, reason: str) -> dict:
    return {"error": {"type": "fake_exception", "reason": reason}, "status": status}

