"""What ratings announce to organizations' webhook endpoints (marketplace.webhooks; event
bodies in docs/webhooks.md): a rating received once revealed, and the organization's own
blacklisting. Called inside the services' transactions: delivered after commit."""

from django.urls import reverse

from marketplace.webhooks.delivery import emit, emit_many
from marketplace.webhooks.events import Event
from marketplace.webhooks.payload import link, organization
from ratings.models import BlacklistEntry, Rating


def rating_received(rating: Rating) -> None:
    """At the reveal (never before: ratings are sealed until both are in or the window ends)."""
    emit(Event.RATING_RECEIVED, {"rating": {
        "id": rating.pk, "contract": rating.window.contract_id, "direction": rating.direction,
        "rater": organization(rating.rater), "value": rating.value, "scores": rating.scores,
        "comment": rating.comment, "is_default": rating.is_default,
        "revealed_at": rating.revealed_at}}, organizations=[rating.rated_id])


def _entry(entry: BlacklistEntry) -> dict:
    return {"id": entry.pk, "status": entry.status, "source": entry.source,
            "reason": entry.reason, "starts_at": entry.starts_at, "ends_at": entry.ends_at,
            "closed_at": entry.closed_at, "lift_reason": entry.lift_reason,
            "url": link(reverse("ratings:my_credit"))}


def sanction_event(event: Event, entry: BlacklistEntry) -> None:
    """`sanction.listed` / `sanction.lifted` (lifted, or expired at its end date): to the
    listed organization."""
    emit(event, {"organization": organization(entry.organization), "entry": _entry(entry)},
         organizations=[entry.organization_id])


def sanction_events(event: Event, entries: list[BlacklistEntry]) -> None:
    """`sanction_event` for each entry of a mass listing, stored together."""
    emit_many(event, [({"organization": organization(entry.organization),
                        "entry": _entry(entry)}, entry.organization_id) for entry in entries])
