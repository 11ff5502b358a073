from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What operators watch: Prometheus metrics, structured logs, task failures."""

    name = "marketplace.operations"
    label = "operations"
    verbose_name = _("Operations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connects the Celery signals; declares the metrics hook.
        from marketplace.operations import metrics, receivers  # noqa: F401
