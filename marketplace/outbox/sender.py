"""Sends committed outbox messages from one background thread per process.

A user's request stores its message and returns: publishing happens here, after the request,
so a broker that is down, slow, or accepts the connection and never answers costs the request
nothing. The broker options in `marketplace.settings_backends` bound how long this thread waits
on one attempt; a message it could not send stays pending for `flush` (beat, every minute).
"""

import atexit
import logging
import os
import queue
import threading
import time

from django.db import connections

logger = logging.getLogger(__name__)

# On exit (a management command, a worker shutting down) give pending sends this long.
EXIT_GRACE_SECONDS = 10


class Sender:
    def __init__(self, send):
        self._send = send
        self._lock = threading.Lock()
        self._queue: queue.Queue[int] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()

    def submit(self, message_id: int) -> None:
        with self._lock:
            if self._pid != os.getpid():  # a forked child (Celery prefork) starts afresh
                self._pid, self._queue, self._thread = os.getpid(), queue.Queue(), None
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, args=(self._queue,),
                                                name="outbox-sender", daemon=True)
                self._thread.start()
            self._queue.put(message_id)

    def wait(self, timeout: float) -> bool:
        """Wait until every submitted message has been tried; False if `timeout` ran out."""
        pending = self._queue
        deadline = time.monotonic() + timeout
        with pending.all_tasks_done:
            while pending.unfinished_tasks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                pending.all_tasks_done.wait(remaining)
        return True

    def _run(self, pending: queue.Queue) -> None:
        while True:
            message_id = pending.get()
            try:
                self._send(message_id)
            except Exception:  # the database, not the broker (send() keeps those): log, go on
                logger.exception("Outbox: message %s not sent", message_id)
            finally:
                if pending.qsize() == 0:
                    # Idle: hold no database connection (a thread per process, not per request).
                    connections.close_all()
                pending.task_done()


def _send(message_id: int) -> bool:
    from marketplace.outbox import services

    return services.send(message_id)


sender = Sender(_send)
atexit.register(sender.wait, EXIT_GRACE_SECONDS)
