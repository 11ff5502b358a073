from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from bidding.signals import award_finalized
        from contracts.services.drawing import on_award_finalized

        award_finalized.connect(on_award_finalized, dispatch_uid="contracts.draw_up")

        from contracts.payments import tasks as payment_tasks  # noqa: F401 (registers tasks)
        from contracts.payments.services import on_contract_closed
        from contracts.signals import contract_closed

        contract_closed.connect(on_contract_closed, dispatch_uid="contracts.payments")
