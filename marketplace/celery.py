import logging.config
import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _add_structured_logging_step(celery_app):
    # django-structlog's worker step binds the request id a task was enqueued with.
    from django_structlog.celery.steps import DjangoStructLogInitStep

    celery_app.steps["worker"].add(DjangoStructLogInitStep)


_add_structured_logging_step(app)


@setup_logging.connect
def use_django_logging(**_kwargs):
    """The worker and beat log through the same structured configuration as the web."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
