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
# The thread closes its database connection once it has had nothing to send for this long: a
# busy worker (the beat's openings commit one every few milliseconds, each leaving messages)
# reuses one connection instead of connecting again after every burst.
IDLE_SECONDS = 2.0
BATCH = 200  # messages claimed together at most
_LET_GO = None  # put by `wait`: close the connection now


class Sender:
    def __init__(self, send):
        self._send = send
        self._lock = threading.Lock()
        self._queue: queue.Queue[int | None] = queue.Queue()
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
        """Wait until every submitted message has been tried, and the thread has let go of its
        database connection (a test database can then be dropped); False if `timeout` ran
        out."""
        pending = self._queue
        deadline = time.monotonic() + timeout
        if not self._drained(pending, deadline):
            return False
        if self._thread is not None and self._thread.is_alive():
            pending.put(_LET_GO)
        return self._drained(pending, deadline)

    @staticmethod
    def _drained(pending: queue.Queue, deadline: float) -> bool:
        with pending.all_tasks_done:
            while pending.unfinished_tasks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                pending.all_tasks_done.wait(remaining)
        return True

    def _run(self, pending: queue.Queue) -> None:
        while True:
            try:
                message_id = pending.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                # Idle: hold no database connection (a thread per process, not per request).
                connections.close_all()
                message_id = pending.get()
            # What else is already waiting goes in the same batch (a mass operation's
            # thousand messages: claimed in a few statements, not two each).
            batch = [message_id]
            while message_id is not _LET_GO and len(batch) < BATCH:
                try:
                    message_id = pending.get_nowait()
                except queue.Empty:
                    break
                batch.append(message_id)
            ids = [m for m in batch if m is not _LET_GO]
            try:
                if ids:
                    self._send(ids)
            except Exception:  # the database, not the broker (send() keeps those): log, go on
                logger.exception("Outbox: messages %s not sent", ids)
            finally:
                if len(ids) < len(batch):
                    connections.close_all()
                for _message in batch:
                    pending.task_done()


def _send(message_ids: list[int]) -> int:
    from marketplace.outbox import services

    return services.send_many(message_ids)


sender = Sender(_send)
atexit.register(sender.wait, EXIT_GRACE_SECONDS)
