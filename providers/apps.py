from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "providers"
    label = "providers"
    verbose_name = _("Agencies")

    def ready(self) -> None:
        from marketplace import hooks
        from marketplace.accounts.next_steps import WORKSPACE_STEPS
        from providers import search, selectors  # noqa: F401  (selectors declares its hooks)
        from providers.next_steps import agency_steps

        search.register()
        hooks.register(WORKSPACE_STEPS, agency_steps)
