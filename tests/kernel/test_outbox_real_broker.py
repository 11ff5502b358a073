"""The outbox against a real broker: the local Redis (database 15, kept for tests).

kombu's in-process `memory://` transport would prove nothing about the wire; this publishes
through Redis and reads the message back with a separate consumer connection.
"""

import uuid

import pytest
from celery import Celery
from kombu import Connection

from marketplace.outbox import services as outbox
from marketplace.outbox.models import OutboxMessage

REDIS_URL = "redis://127.0.0.1:6379/15"

pytestmark = [pytest.mark.broker, pytest.mark.django_db]


def _redis_or_skip() -> None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:  # any failure means there is no broker to test against
        pytest.skip(f"needs a Redis server at {REDIS_URL} ({exc.__class__.__name__}: {exc})")


@pytest.fixture
def redis_app(monkeypatch):
    """A Celery app publishing to Redis, standing in for the project's app in the outbox."""
    _redis_or_skip()
    queue = f"outbox-test-{uuid.uuid4().hex}"
    app = Celery("outbox-broker-test", broker=REDIS_URL, set_as_current=False)
    app.conf.task_default_queue = queue
    app.conf.broker_connection_retry_on_startup = False
    app.conf.broker_transport_options = {"max_retries": 1}
    monkeypatch.setattr(outbox, "current_app", app)
    yield app, queue
    with Connection(REDIS_URL) as conn:
        conn.SimpleQueue(queue).queue.delete()
    app.close()


def test_send_puts_the_task_on_the_queue_for_a_consumer(redis_app):
    app, queue = redis_app
    message = OutboxMessage.objects.create(
        task_name="notifications.send_plain_email",
        kwargs={"to": "alice@example.cn", "subject": "开标提醒", "body": "请查看"},
    )

    assert outbox.send(message.pk) is True

    with Connection(REDIS_URL) as conn:
        consumer = conn.SimpleQueue(queue)
        received = consumer.get(timeout=5)
        args, kwargs, _embed = received.decode()
        received.ack()
        consumer.close()
    assert received.headers["task"] == "notifications.send_plain_email"
    assert args == []
    assert kwargs == {"to": "alice@example.cn", "subject": "开标提醒", "body": "请查看"}
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.last_error == ""


def test_an_unreachable_broker_leaves_the_message_pending(monkeypatch):
    # Nothing listens on port 1: the real transport's own error reaches the outbox.
    app = Celery("outbox-down-test", broker="redis://127.0.0.1:1/15", set_as_current=False)
    app.conf.broker_connection_retry_on_startup = False
    app.conf.broker_connection_max_retries = 0
    app.conf.task_publish_retry = False
    # Without these redis-py retries with back-off for about six seconds before giving up.
    app.conf.broker_transport_options = {"max_retries": 0, "socket_connect_timeout": 0.5,
                                         "retry": None}
    monkeypatch.setattr(outbox, "current_app", app)
    message = OutboxMessage.objects.create(task_name="notifications.send_plain_email",
                                           kwargs={"to": "a@example.cn"})

    assert outbox.send(message.pk) is False

    message.refresh_from_db()
    assert message.sent_at is None
    assert message.attempts == 1
    assert message.last_error
    app.close()
