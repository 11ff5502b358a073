"""A broker that accepts the connection and never answers holds up no request (issue #13).

The probe found requests hanging 240 s on such a Redis and 12 s on such an AMQP broker. The
rule: a request only stores its message in the outbox; the process's background sender
publishes it after the request, with short broker timeouts (settings_backends), and what it
could not send waits for `flush`. The silent broker is a local TCP listener that accepts and
never replies; the project's Celery settings are used as they are for that URL, not eager.
"""

import datetime as dt
import socket
import threading
import time
import uuid

import pytest
from celery import Celery
from django.conf import settings as django_settings
from django.utils import timezone
from kombu import Connection, Queue

from bidding.models import Project
from marketplace.outbox import services as outbox
from marketplace.outbox.models import OutboxMessage
from marketplace.settings_backends import broker_transport_options
from tests.conftest import client_for
from tests.factories.bidding import ProjectFactory, user_of

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

WORKING = {"redis": "redis://127.0.0.1:6379/15", "amqp": "amqp://guest:guest@127.0.0.1:5672//"}


@pytest.fixture
def silent_broker():
    """127.0.0.1:<port> accepts connections and never sends a byte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []

    def accept_forever():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:  # closed at teardown
                return

    threading.Thread(target=accept_forever, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()
    for conn in held:
        conn.close()


@pytest.fixture
def use_broker(settings, monkeypatch):
    """Point the outbox at a Celery app configured from the project's settings for `url`."""
    apps = []

    def configure(url: str) -> Celery:
        settings.CELERY_BROKER_URL = url
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(
            url, django_settings.BASE_DIR / "var")
        settings.CELERY_TASK_ALWAYS_EAGER = False
        app = Celery("marketplace-broker-test", set_as_current=False)
        app.config_from_object("django.conf:settings", namespace="CELERY")
        app.conf.task_default_queue = f"outbox-silent-{uuid.uuid4().hex}"
        monkeypatch.setattr(outbox, "current_app", app)
        apps.append(app)
        return app

    yield configure
    assert outbox.wait_for_sends()
    for app in apps:
        app.close()


def _working_broker_or_skip(url: str) -> None:
    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:  # any failure means there is no broker to test against
        pytest.skip(f"needs a broker at {url} ({exc.__class__.__name__}: {exc})")


def _received_task_names(url: str, queue: str, count: int) -> list[str]:
    names = []
    with Connection(url) as conn:
        consumer = conn.SimpleQueue(queue)
        for _ in range(count):
            message = consumer.get(timeout=5)
            names.append(message.headers["task"])
            message.ack()
        consumer.close()
    with Connection(url) as conn:
        Queue(queue).bind(conn.default_channel).delete()
    return names


@pytest.mark.parametrize("scheme", ["redis", "amqp"])
def test_publishing_a_project_does_not_wait_for_a_broker_that_never_answers(
        scheme, silent_broker, use_broker):
    _working_broker_or_skip(WORKING[scheme])
    silent = (f"redis://127.0.0.1:{silent_broker}/15" if scheme == "redis"
              else f"amqp://guest:guest@127.0.0.1:{silent_broker}//")
    use_broker(silent)
    project = ProjectFactory(bid_deadline=timezone.now() + dt.timedelta(days=6))
    owner_api = client_for(user_of(project.owner))

    started = time.monotonic()
    response = owner_api.post(f"/api/v1/projects/{project.pk}/publish/")
    elapsed = time.monotonic() - started

    assert response.status_code == 200, response.content
    assert Project.objects.get(pk=project.pk).status == Project.Status.BIDDING
    # The silent broker would hold an in-request publish 12 s (AMQP) to 240 s (Redis).
    assert elapsed < 3

    # After the request the sender tries the silent broker, gives up, keeps the messages.
    # (Read once it is done: on the suite's shared in-memory SQLite, reading the outbox while
    # the sender writes it is refused at once, "database table is locked".)
    assert outbox.wait_for_sends()
    queued = list(OutboxMessage.objects.values_list("task_name", flat=True))
    assert "bidding.notify_matching_agencies" in queued
    pending = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert pending.count() == len(queued)
    assert all(message.last_error for message in pending)

    # A working broker: the next flush sends each stored message once.
    app = use_broker(WORKING[scheme])
    assert outbox.flush() == len(queued)
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert sorted(_received_task_names(WORKING[scheme], app.conf.task_default_queue,
                                       len(queued))) == sorted(queued)
