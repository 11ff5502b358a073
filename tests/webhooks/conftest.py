"""A real HTTP receiver on 127.0.0.1 (http.server in a thread) that records each request and
answers the statuses a test queues; and the documented signature check, read from
docs/webhooks.md itself so the documentation's code is what the tests run."""

import json
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from marketplace.webhooks import services
from tests.factories.bidding import user_of

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def documented_verify_signature():
    """`verify_signature` as docs/webhooks.md shows it (its first Python block)."""
    code = re.search(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S).group(1)
    namespace: dict = {}
    exec(compile(code, str(DOCS), "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace["verify_signature"]


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    def __init__(self):
        self.requests: list[Received] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                receiver.requests.append(Received(self.path, dict(self.headers),
                                                  self.rfile.read(length)))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/marketplace"

    def answer(self, *statuses: int) -> None:
        self.statuses.extend(statuses)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_LOCAL_TARGETS = True
    running = Receiver()
    yield running
    running.close()


@pytest.fixture
def verify_signature():
    return documented_verify_signature()


def register(organization, url: str, events, **kwargs):
    """An endpoint of `organization` made by its administrator: (endpoint, secret)."""
    return services.endpoint_create(organization=organization, url=url, events=list(events),
                                    by=user_of(organization), **kwargs)
