from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class BiddingConfig(AppConfig):
    name = "bidding"
    label = "bidding"
    verbose_name = _("Bidding")

    def ready(self) -> None:
        from bidding import signals
        from bidding.metrics import bidding_metrics
        from bidding.next_steps import bidding_steps
        from bidding.search import register_document_type
        from bidding.selectors import opened_project_ids
        from bidding.selectors_market import agency_recent_awards, market_changed
        from bidding.selectors_price_index import clear_on_award_change
        from bidding.services.saved_searches import on_project_event
        from marketplace import hooks, sealing
        from marketplace.accounts.next_steps import WORKSPACE_STEPS
        from marketplace.audit.selectors import OPENED_PROJECTS
        from marketplace.operations.metrics import BUSINESS_METRICS
        from providers.selectors import RECENT_AWARDS

        register_document_type()
        # New projects matched against saved searches (issue 17 §5).
        signals.project_event.connect(on_project_event, dispatch_uid="bidding.saved_searches")
        # The price index's cached figures start afresh when an award becomes final or passes on.
        signals.project_event.connect(clear_on_award_change,
                                      dispatch_uid="bidding.price_index.clear_cache")
        # The public pages' cached market figures likewise, on any project event.
        signals.project_event.connect(market_changed, dispatch_uid="bidding.market_figures")
        # `manage.py check --deploy` warns when production seals under the derived key.
        checks.register(sealing.check_seal_keys, checks.Tags.security, deploy=True)
        hooks.register(WORKSPACE_STEPS, bidding_steps)
        # The agency profile lists final awards; providers may not import bidding (DESIGN §3),
        # so bidding registers its reader (the start-up check fails if nobody does).
        hooks.register(RECENT_AWARDS, agency_recent_awards)
        # The audit log hides the entries about a project's bids until its opening.
        hooks.register(OPENED_PROJECTS, opened_project_ids)
        # Bids submitted and projects opened, on the operators' /metrics.
        hooks.register(BUSINESS_METRICS, bidding_metrics)
