from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskFailure(models.Model):
    """One Celery task that ended in an exception, written by the worker that ran it, so that
    the web process's `/metrics` can count failures across every worker (a worker serves no
    HTTP of its own). Only the task's name and the exception's class: never its arguments,
    which may carry personal data or bid content."""

    task_name = models.CharField(_("task"), max_length=200)
    exception_type = models.CharField(_("exception"), max_length=200)
    failed_at = models.DateTimeField(_("failed at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("task failure")
        verbose_name_plural = _("task failures")

    def __str__(self):
        return f"{self.task_name}: {self.exception_type}"


class BenchFloorRow(models.Model):
    """What the bid path's floor writes (`operations.bench_floor`): one row per request, so the
    benchmark can compare a real bid submission with the least a write through the same stack
    costs. Written only when the floor endpoint is routed (`MARKETPLACE_BENCH_FLOOR`, never in
    production)."""

    payload = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"floor row {self.pk}"
