from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "providers"
    label = "providers"
    verbose_name = _("Agencies")

    def ready(self) -> None:
        from marketplace.accounts import next_steps
        from providers import checks, search  # noqa: F401  (checks registers itself)
        from providers.next_steps import agency_steps

        search.register()
        next_steps.register(agency_steps)
