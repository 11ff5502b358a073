"""What contracts announce to the parties' webhook endpoints (marketplace.webhooks; event
bodies in docs/webhooks.md). Called inside the services' transactions: delivered after commit.
"""

from django.urls import reverse

from contracts.models import Contract
from marketplace.webhooks.delivery import emit
from marketplace.webhooks.events import Event
from marketplace.webhooks.payload import link, organization

__all__ = ["Event", "contract_event"]


def contract_event(event: Event, contract: Contract, **details) -> None:
    """`contract.signed` (with the signing `party`), `contract.active`,
    `contract.terminated` (with `reason` and `at_fault`): to both parties."""
    emit(event, {"contract": {
        "id": contract.pk, "project": contract.project_id, "status": contract.status,
        "owner": organization(contract.owner), "agency": organization(contract.agency),
        "price": contract.price, "promised_days": contract.promised_days,
        "url": link(reverse("contracts:detail", args=[contract.pk]))}, **details},
        organizations=[contract.owner_id, contract.agency_id])
