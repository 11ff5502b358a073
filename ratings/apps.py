from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    label = "ratings"
    verbose_name = _("Ratings and credit")

    def ready(self) -> None:
        from django.core import checks

        from bidding.signals import project_event
        from contracts.signals import contract_closed, credit_incident
        from marketplace import hooks
        from marketplace.accounts.standing import WORKSPACE_NOTICES
        from marketplace.audit.services import AUDIT_RECORDED
        from providers.selectors import RATING_SUMMARY
        from ratings import selectors
        from ratings.checks import credit_policy_matches_event_types, public_complaints_deployable
        from ratings.services import incidents, ocds

        credit_incident.connect(incidents.on_credit_incident,
                                dispatch_uid="ratings.credit_incident")
        contract_closed.connect(incidents.on_contract_closed,
                                dispatch_uid="ratings.contract_closed")
        project_event.connect(incidents.on_project_event, dispatch_uid="ratings.objections")
        hooks.register(RATING_SUMMARY, selectors.rating_summary)
        hooks.register(AUDIT_RECORDED, ocds.release_for_entry)
        hooks.register(WORKSPACE_NOTICES, selectors.blacklist_notice)
        checks.register(credit_policy_matches_event_types)
        checks.register(public_complaints_deployable, checks.Tags.security, deploy=True)
