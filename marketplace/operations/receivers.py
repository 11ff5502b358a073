"""Celery's `task_failure` signal, in whichever worker runs the task: one `TaskFailure` row."""

import logging

from celery.signals import task_failure
from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)


@task_failure.connect
def record_task_failure(sender=None, exception=None, **_kwargs):
    from marketplace.operations.models import TaskFailure

    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            TaskFailure.objects.create(task_name=getattr(sender, "name", str(sender))[:200],
                                       exception_type=type(exception).__name__[:200])
    except DatabaseError:
        # The failure may be the database itself; the worker's log still has it.
        logger.warning("task failure not recorded", exc_info=True)
