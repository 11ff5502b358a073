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
        from marketplace.accounts import next_steps

        register_document_type()
        next_steps.register(bidding_steps)
