from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """A task to enqueue, written in the same transaction as the change that calls for it.

    If the broker is down when the transaction commits, the row stays unsent and the
    `marketplace.outbox.flush` beat task (or `manage.py outbox_flush`) sends it later.
    """

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # The request that enqueued it (marketplace.operations.logs): the worker's lines carry it.
    request_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.task_name} ({'sent' if self.sent_at else 'pending'})"
