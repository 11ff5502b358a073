"""What may be done with webhook endpoints and deliveries; pages and the API ask the same."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from marketplace.errors import DomainError, StateConflict
from marketplace.webhooks.events import Event
from marketplace.webhooks.models import Delivery, Endpoint


def check_events(events: Iterable[str]) -> list[str]:
    """The chosen events in the catalogue's order; refused when none or an unknown one."""
    chosen = set(events or ())
    unknown = chosen - set(Event.values)
    if unknown:
        raise DomainError(_("Unknown event: %(names)s.") % {"names": ", ".join(sorted(unknown))},
                          field="events", code="webhook.event_unknown")
    if not chosen:
        raise DomainError(_("Choose at least one event."), field="events",
                          code="webhook.events_missing")
    return [event for event in Event.values if event in chosen]


def check_can_resend(*, delivery: Delivery, endpoint: Endpoint) -> None:
    if not endpoint.active:
        raise StateConflict(_("The endpoint is disabled; enable it before resending."),
                            code="webhook.endpoint_disabled")
    if delivery.status == Delivery.Status.PENDING:
        raise StateConflict(_("This delivery is still being tried; wait for its outcome."),
                            code="webhook.delivery_pending")
