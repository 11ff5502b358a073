from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "marketplace.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Register the "search.index" / "search.remove" tasks in every process, so the outbox
        # can run them inline in eager mode (a worker would autodiscover them anyway).
        from marketplace.search import tasks  # noqa: F401
