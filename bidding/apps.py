from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BiddingConfig(AppConfig):
    name = "bidding"
    label = "bidding"
    verbose_name = _("Bidding")

    def ready(self) -> None:
        from bidding import signals  # noqa: F401  (declares award_finalized)
        from bidding.next_steps import bidding_steps
        from bidding.search import register_document_type
        from bidding.selectors_market import agency_recent_awards
        from marketplace.accounts import next_steps
        from providers.selectors import provide_recent_awards

        register_document_type()
        next_steps.register(bidding_steps)
        # The agency profile lists final awards; providers may not import bidding (DESIGN §3),
        # so bidding plugs its reader in (providers' system check fails if nobody does).
        provide_recent_awards(agency_recent_awards)
