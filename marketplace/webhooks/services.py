"""What an organization's administrators do with their webhook endpoints (each one audited).
Emitting and delivering events: `marketplace.webhooks.delivery`."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from marketplace.accounts.models import Organization
from marketplace.actors import require_admin_of
from marketplace.audit import services as audit
from marketplace.limits import check_text_length
from marketplace.webhooks import delivery as deliveries
from marketplace.webhooks import rules, secrets
from marketplace.webhooks.models import Delivery, Endpoint
from marketplace.webhooks.targets import check_target_url


def _locked(endpoint: Endpoint | int) -> Endpoint:
    pk = endpoint.pk if isinstance(endpoint, Endpoint) else endpoint
    return Endpoint.objects.select_for_update().select_related("organization").get(pk=pk)


@transaction.atomic
def endpoint_create(*, organization: Organization, url: str, events, by,
                    description: str = "", now: dt.datetime | None = None
                    ) -> tuple[Endpoint, str]:
    """Register an endpoint; returns it and its signing secret, which is shown this once."""
    now = now or timezone.now()
    require_admin_of(by, organization)
    url = (url or "").strip()
    check_target_url(url)
    events = rules.check_events(events)
    check_text_length(description, kind="line", field="description")
    endpoint = Endpoint.objects.create(organization=organization, url=url, events=events,
                                       description=(description or "").strip(),
                                       created_at=now, created_by=by)
    secret = secrets.new_secret()
    secrets.seal(endpoint, secret)  # the endpoint's id is part of the sealed data
    endpoint.save(update_fields=["secret_kek_id", "secret_wrapped_key", "secret_sealed"])
    audit.record(action="webhook.created", actor=by, organization=organization, obj=endpoint,
                 data={"url": url, "events": events}, now=now)
    return endpoint, secret


@transaction.atomic
def endpoint_update(*, endpoint: Endpoint, by, url: str | None = None, events=None,
                    description: str | None = None, now: dt.datetime | None = None
                    ) -> Endpoint:
    now = now or timezone.now()
    endpoint = _locked(endpoint)
    require_admin_of(by, endpoint.organization)
    if url is not None:
        endpoint.url = url.strip()
        check_target_url(endpoint.url)
    if events is not None:
        endpoint.events = rules.check_events(events)
    if description is not None:
        check_text_length(description, kind="line", field="description")
        endpoint.description = description.strip()
    endpoint.save(update_fields=["url", "events", "description"])
    audit.record(action="webhook.updated", actor=by, organization=endpoint.organization,
                 obj=endpoint, data={"url": endpoint.url, "events": endpoint.events}, now=now)
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint, by, now: dt.datetime | None = None) -> str:
    """A new signing secret, in force at once (the old one signs nothing more); shown once."""
    now = now or timezone.now()
    endpoint = _locked(endpoint)
    require_admin_of(by, endpoint.organization)
    secret = secrets.new_secret()
    secrets.seal(endpoint, secret)
    endpoint.secret_rotated_at = now
    endpoint.save(update_fields=["secret_kek_id", "secret_wrapped_key", "secret_sealed",
                                 "secret_rotated_at"])
    audit.record(action="webhook.secret_rotated", actor=by, organization=endpoint.organization,
                 obj=endpoint, now=now)
    return secret


@transaction.atomic
def endpoint_set_active(*, endpoint: Endpoint, active: bool, by,
                        now: dt.datetime | None = None) -> Endpoint:
    """Enable or disable an endpoint. Enabling starts its failure count afresh; what it
    missed while disabled is not sent by itself (resend it from the log)."""
    now = now or timezone.now()
    endpoint = _locked(endpoint)
    require_admin_of(by, endpoint.organization)
    if active and not endpoint.active:
        check_target_url(endpoint.url)  # the rules may have changed since it was registered
        endpoint.active, endpoint.disabled_at, endpoint.disabled_reason = True, None, ""
        endpoint.failing_since, endpoint.consecutive_failures = None, 0
        endpoint.save()
    elif not active and endpoint.active:
        endpoint.active, endpoint.disabled_at, endpoint.disabled_reason = False, now, ""
        endpoint.save(update_fields=["active", "disabled_at", "disabled_reason"])
    else:
        return endpoint
    audit.record(action="webhook.enabled" if active else "webhook.disabled", actor=by,
                 organization=endpoint.organization, obj=endpoint, now=now)
    return endpoint


@transaction.atomic
def delivery_resend(*, delivery: Delivery | int, by, now: dt.datetime | None = None
                    ) -> Delivery:
    """Send a delivery's event again, unchanged (same id, same body), as a new delivery."""
    now = now or timezone.now()
    pk = delivery.pk if isinstance(delivery, Delivery) else delivery
    delivery = Delivery.objects.select_related("event").get(pk=pk)
    endpoint = _locked(delivery.endpoint_id)
    require_admin_of(by, endpoint.organization)
    rules.check_can_resend(delivery=delivery, endpoint=endpoint)
    delivery.endpoint = endpoint
    again = deliveries.resend_now(delivery, now=now)
    audit.record(action="webhook.resent", actor=by, organization=endpoint.organization,
                 obj=endpoint, data={"delivery": delivery.pk, "event": str(delivery.event_id),
                                     "resend": again.pk}, now=now)
    return again
