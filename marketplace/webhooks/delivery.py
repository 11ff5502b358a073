"""Emitting events and delivering them (docs/webhooks.md).

`emit(event, data, organizations=…)` is what apps call, inside the transaction of the change
it announces: it stores the event's body once and one delivery per subscribed, active endpoint
of those organizations, and enqueues them through the outbox, so nothing leaves before commit
and a rolled-back change announces nothing. The `webhooks.deliver` task makes one attempt; a
failed one is tried again by `deliver_due` (beat, every minute) on the backoff of `policy`.
"""

import datetime as dt
import json
from collections.abc import Iterable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from marketplace.audit import services as audit
from marketplace.notifications.services import notify_organization
from marketplace.outbox.services import enqueue, enqueue_many
from marketplace.sealing import SealBroken
from marketplace.states import Transitions
from marketplace.webhooks import policy, secrets, signing, transport
from marketplace.webhooks.events import Event
from marketplace.webhooks.models import Delivery, Endpoint, WebhookEvent

Status = Delivery.Status
DELIVERY = Transitions(Delivery, {
    Status.PENDING: {Status.SUCCEEDED, Status.FAILED},
    Status.SUCCEEDED: set(),
    Status.FAILED: set(),
})
# While one worker is posting, nobody else picks the delivery up (a worker that died mid-way
# leaves it to be tried again after this).
LEASE = dt.timedelta(minutes=5)
USER_AGENT = "Marketplace-Webhooks/1"


def _enqueue(delivery_ids: Iterable[int]) -> None:
    from marketplace.webhooks import tasks  # tasks call services: import here

    for delivery_id in delivery_ids:
        enqueue(tasks.deliver, delivery_id=delivery_id)


def listening(event: str, *, organizations) -> set[int]:
    """The ids of `organizations` (ids) with an active endpoint subscribed to `event`, in one
    query: a service announcing to many organizations one by one (each its own body) emits
    only to these, instead of asking once per organization."""
    event = Event(event)
    return {endpoint.organization_id for endpoint in
            Endpoint.objects.filter(active=True, organization__in=set(organizations))
            .only("organization_id", "events") if event in endpoint.events}


def emit(event: str, data: dict, *, organizations) -> WebhookEvent | None:
    """Announce `event` with `data` to the endpoints of `organizations` (instances, ids or a
    queryset) subscribed to it. Call it inside the change's transaction. Returns the stored
    event, or None when nobody listens (nothing is stored then)."""
    event = Event(event)  # a misspelt name fails in the emitting service, not in a worker
    endpoints = [endpoint for endpoint in
                 Endpoint.objects.filter(active=True, organization__in=organizations)
                 if event in endpoint.events]
    if not endpoints:
        return None
    now = timezone.now()
    stored = WebhookEvent(event=event, created_at=now)
    stored.body = json.dumps({"id": str(stored.pk), "event": event, "created_at": now,
                              "data": data}, cls=DjangoJSONEncoder, ensure_ascii=False,
                             separators=(",", ":"))
    stored.save()
    deliveries = Delivery.objects.bulk_create(
        [Delivery(endpoint=endpoint, event=stored, created_at=now, next_attempt_at=now)
         for endpoint in endpoints])
    _enqueue(d.pk for d in deliveries)
    return stored


def emit_many(event: str, items: list[tuple[dict, int]], *, batch_size: int = 2000
              ) -> list[WebhookEvent]:
    """`emit(event, data, organizations=[organization_id])` for each (data, organization_id)
    of `items`, in a few statements (a mass operation): one query for the endpoints, one insert
    each for the events, their deliveries and their outbox messages."""
    event = Event(event)
    ids = sorted({organization_id for _data, organization_id in items})
    listening: dict[int, list[Endpoint]] = {}
    for start in range(0, len(ids), batch_size):
        for endpoint in Endpoint.objects.filter(active=True,
                                                organization__in=ids[start:start + batch_size]):
            if event in endpoint.events:
                listening.setdefault(endpoint.organization_id, []).append(endpoint)
    now = timezone.now()
    stored, deliveries = [], []
    for data, organization_id in items:
        endpoints = listening.get(organization_id)
        if not endpoints:
            continue
        webhook_event = WebhookEvent(event=event, created_at=now)
        webhook_event.body = json.dumps(
            {"id": str(webhook_event.pk), "event": event, "created_at": now, "data": data},
            cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
        stored.append(webhook_event)
        deliveries += [Delivery(endpoint=endpoint, event=webhook_event, created_at=now,
                                next_attempt_at=now) for endpoint in endpoints]
    WebhookEvent.objects.bulk_create(stored, batch_size=batch_size)
    deliveries = Delivery.objects.bulk_create(deliveries, batch_size=batch_size)
    if deliveries:
        from marketplace.webhooks import tasks  # tasks call services: import here

        enqueue_many(tasks.deliver, [{"delivery_id": d.pk} for d in deliveries])
    return stored


def _claim(delivery_id: int, now: dt.datetime) -> Delivery | None:
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(of=("self",))
                    .select_related("endpoint", "event").filter(pk=delivery_id).first())
        if (delivery is None or delivery.status != Status.PENDING
                or not delivery.endpoint.active
                or (delivery.next_attempt_at is not None and delivery.next_attempt_at > now)):
            return None  # done, not due, or another worker holds it
        delivery.next_attempt_at = now + LEASE
        delivery.save(update_fields=["next_attempt_at"])
    return delivery


def _post(delivery: Delivery) -> transport.Outcome:
    body = delivery.event.body.encode("utf-8")
    try:
        secret = secrets.unseal(delivery.endpoint)
    except SealBroken as broken:
        return transport.Outcome(None, str(broken.message))
    timestamp = int(timezone.now().timestamp())
    return transport.post(delivery.endpoint.url, body, {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        signing.HEADER: signing.header(secret, timestamp, body),
        "Marketplace-Event": delivery.event.event,
        "Marketplace-Delivery": str(delivery.pk),
    })


def delivery_attempt(*, delivery_id: int, now: dt.datetime | None = None) -> str | None:
    """Try one due delivery once (the task); its status afterwards, None when it was not due.
    The POST happens outside any transaction: a slow receiver holds no lock."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    return _record(delivery_id, _post(delivery), now)


@transaction.atomic
def _record(delivery_id: int, outcome: transport.Outcome, now: dt.datetime) -> str:
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_response_code = outcome.status
    delivery.last_error = outcome.error[:500]
    delivery.next_attempt_at = None
    if outcome.succeeded:
        DELIVERY.move(delivery, Status.SUCCEEDED, save=False)
        delivery.delivered_at = now
        endpoint.failing_since, endpoint.consecutive_failures = None, 0
    else:
        delivery.next_attempt_at = policy.next_attempt_at(
            created_at=delivery.created_at, attempts=delivery.attempts, now=now)
        if delivery.next_attempt_at is None:
            DELIVERY.move(delivery, Status.FAILED, save=False)
        endpoint.consecutive_failures += 1
        endpoint.failing_since = endpoint.failing_since or now
    delivery.save()
    endpoint.save(update_fields=["failing_since", "consecutive_failures"])
    with translation.override(settings.LANGUAGE_CODE):
        reason = policy.disable_reason(consecutive_failures=endpoint.consecutive_failures,
                                       failing_since=endpoint.failing_since, now=now)
    if reason and endpoint.active:
        disable_failing(endpoint, reason=reason, now=now)
    return delivery.status


def disable_failing(endpoint: Endpoint, *, reason: str, now: dt.datetime) -> None:
    """Switch off an endpoint that keeps failing and tell its organization's administrators.
    Called while holding the endpoint's row lock."""
    endpoint.active, endpoint.disabled_at, endpoint.disabled_reason = False, now, reason[:200]
    endpoint.save(update_fields=["active", "disabled_at", "disabled_reason"])
    DELIVERY.move_all(endpoint.deliveries.all(), Status.FAILED, next_attempt_at=None,
                      last_error=_("The endpoint was disabled."))
    with translation.override(settings.LANGUAGE_CODE):
        notify_organization(
            organization=endpoint.organization, admins_only=True, kind="webhooks.disabled",
            title=_("A webhook endpoint was disabled"),
            body=_("Deliveries to %(url)s kept failing: %(reason)s Fix the receiver, then "
                   "enable the endpoint again and resend what it missed.")
            % {"url": endpoint.url, "reason": reason},
            url=reverse("webhooks:endpoint", args=[endpoint.pk]))
    audit.record(action="webhook.disabled", organization=endpoint.organization, obj=endpoint,
                 data={"url": endpoint.url, "reason": reason}, now=now)


def deliver_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Enqueue every pending delivery whose next attempt is due (beat task)."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(Delivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now,
                                           endpoint__active=True)
                   .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
        _enqueue(due)
    return len(due)


def resend_now(delivery: Delivery, *, now: dt.datetime) -> Delivery:
    """A new delivery of the same event (same body, same id) to the same endpoint."""
    again = Delivery.objects.create(endpoint=delivery.endpoint, event=delivery.event,
                                    created_at=now, next_attempt_at=now, resend_of=delivery)
    _enqueue([again.pk])
    return again
