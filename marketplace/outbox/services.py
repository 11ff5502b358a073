"""Enqueue Celery tasks after commit, without ever failing or holding up the user's request.

`enqueue(tasks.some_task, key=value)` stores the intent in the caller's transaction; once the
transaction commits, the process's background sender (`sender.py`) publishes it, so no request
waits on the broker. A broker error leaves the message pending for `flush`.
"""

import contextlib
import contextvars
import logging

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from marketplace.operations.logs import bound_request_id, current_request_id
from marketplace.outbox.models import OutboxMessage
from marketplace.outbox.sender import sender

logger = logging.getLogger(__name__)


# The messages enqueued inside `collected()`, in order, not yet inserted (None outside it).
_collecting: contextvars.ContextVar[list | None] = contextvars.ContextVar("outbox_collecting",
                                                                          default=None)


def enqueue(task, **kwargs) -> OutboxMessage:
    """Store the intent to run `task` (the Celery task itself, not its name: a misspelt
    reference fails at import, not in a worker days later) with `kwargs`. Inside
    `collected()` the message is inserted with the others when the block ends (no id before)."""
    task_name = getattr(task, "name", None)
    if not isinstance(task_name, str):
        raise TypeError(f"enqueue() takes a Celery task, not {task!r}")
    message = OutboxMessage(task_name=task_name, kwargs=kwargs,
                            request_id=current_request_id())
    pending = _collecting.get()
    if pending is not None:
        pending.append(message)
        return message
    message.save()
    transaction.on_commit(lambda: dispatch(message.pk))
    return message


@contextlib.contextmanager
def collected():
    """Inside a transaction: every `enqueue` in the block (whoever calls it: services, signal
    receivers, webhooks) is inserted at its end in one statement, in order, and dispatched
    after commit like any other. A mass operation's thousand messages cost one insert."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox.collected() must be used inside a transaction")
    if _collecting.get() is not None:  # nested: the outer block inserts them
        yield
        return
    pending: list[OutboxMessage] = []
    token = _collecting.set(pending)
    try:
        yield
    finally:
        _collecting.reset(token)
    if pending:
        ids = [m.pk for m in OutboxMessage.objects.bulk_create(pending, batch_size=2000)]
        transaction.on_commit(lambda: [dispatch(message_id) for message_id in ids])


def enqueue_many(task, kwargs_list: list[dict], *, batch_size: int = 2000
                 ) -> list[OutboxMessage]:
    """`enqueue(task, **kwargs)` for each of `kwargs_list`, in one insert: the same messages,
    in the same order, dispatched after commit."""
    task_name = getattr(task, "name", None)
    if not isinstance(task_name, str):
        raise TypeError(f"enqueue_many() takes a Celery task, not {task!r}")
    if not kwargs_list:
        return []
    request_id = current_request_id()
    messages = OutboxMessage.objects.bulk_create(
        [OutboxMessage(task_name=task_name, kwargs=kwargs, request_id=request_id)
         for kwargs in kwargs_list], batch_size=batch_size)
    ids = [message.pk for message in messages]

    def dispatch_all() -> None:
        for message_id in ids:
            dispatch(message_id)

    transaction.on_commit(dispatch_all)
    return messages


def dispatch(message_id: int) -> None:
    """After commit: hand the message to the background sender (eager mode: run it here)."""
    if current_app.conf.task_always_eager:
        send(message_id)
    else:
        sender.submit(message_id)


def wait_for_sends(timeout: float = 30) -> bool:
    """Wait until this process's sender has tried every message handed to it (tests, exit)."""
    return sender.wait(timeout)


def send(message_id: int) -> bool:
    """Send one pending message; True when the broker accepted it (or it was already sent)."""
    # The conditional update claims the message so two flushers never send it twice, and
    # counts the attempt in the same statement.
    claimed = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return True
    return _publish(OutboxMessage.objects.get(pk=message_id))


def send_many(message_ids: list[int]) -> int:
    """`send` for several messages (the sender's backlog after a mass operation): claimed in
    one short transaction, their rows locked and those another sender holds skipped, then
    published one by one. Returns how many the broker accepted."""
    if current_app.conf.task_always_eager or len(message_ids) == 1:
        return sum(1 for message_id in message_ids if send(message_id))
    with transaction.atomic():
        messages = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                        .filter(pk__in=message_ids, sent_at__isnull=True).order_by("pk"))
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
            sent_at=timezone.now(), attempts=F("attempts") + 1)
    return sum(1 for message in messages if _publish(message))


def _publish(message: OutboxMessage) -> bool:
    """Publish a claimed message; on a broker error, release it for `flush`."""
    if current_app.conf.task_always_eager:
        # send_task ignores eager mode and would publish to the configured broker (the shared
        # filesystem queue the development worker reads): run the task here instead.
        if message.task_name not in current_app.tasks:
            # Only a worker imports the apps' tasks modules by itself (autodiscovery is lazy).
            current_app.loader.import_default_modules()
        with bound_request_id(message.request_id):
            current_app.tasks[message.task_name].apply(kwargs=message.kwargs).get()
        return True
    try:
        # No publish retries: the outbox is the retry (flush), and each retry would multiply
        # the broker timeouts (settings_backends) for the sender.
        # The sender's thread has no request context: bind the stored id for django-structlog's
        # publish hook, which puts it in the task's headers.
        with bound_request_id(message.request_id):
            current_app.send_task(message.task_name, kwargs=message.kwargs, retry=False)
    except Exception as exc:  # the broker's errors vary by transport; all mean "not sent"
        logger.warning("Outbox: %s not sent, will retry: %s", message.task_name, exc)
        OutboxMessage.objects.filter(pk=message.pk).update(
            sent_at=None, last_error=str(exc)[:2000]
        )
        return False
    return True


def flush(*, limit: int = 500) -> int:
    """Retry pending messages, oldest first; returns how many went out."""
    pending = OutboxMessage.objects.filter(sent_at__isnull=True).values_list("pk", flat=True)
    return sum(1 for pk in list(pending[:limit]) if send(pk))
