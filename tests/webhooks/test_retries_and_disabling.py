"""Failed deliveries are retried with exponential backoff for 24 hours, then fail; an endpoint
that keeps failing is disabled and its organization's administrators are told (inbox and
e-mail)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from marketplace.audit.models import AuditEntry
from marketplace.notifications.models import Notification
from marketplace.webhooks import policy
from marketplace.webhooks.delivery import delivery_attempt, emit
from marketplace.webhooks.models import Delivery
from tests.factories.accounts import member_of
from tests.factories.bidding import agency_offering, user_of
from tests.webhooks.conftest import register

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def test_the_backoff_doubles_from_one_minute_up_to_four_hours_within_24_hours(settings):
    times = policy.schedule(created_at=START)
    gaps = [(b - a).total_seconds() / 60 for a, b in zip(times, times[1:], strict=False)]
    assert gaps[:9] == [1, 2, 4, 8, 16, 32, 64, 128, 240]
    assert set(gaps[8:]) == {240}
    assert times[-1] <= START + dt.timedelta(hours=24)
    assert times[-1] + dt.timedelta(hours=4) > START + dt.timedelta(hours=24)
    assert len(times) == 13


def _failing_delivery(receiver, agency, statuses=500, count=40):
    receiver.answer(*[statuses] * count)
    endpoint, _secret = register(agency, receiver.url, ["sanction.listed"])
    emit("sanction.listed", {"entry": 1}, organizations=[agency])
    return endpoint, Delivery.objects.get(endpoint=endpoint)


def test_a_delivery_failing_for_24_hours_is_retried_on_the_schedule_then_fails(
        receiver, settings):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 1000
    agency = agency_offering()
    with time_machine.travel(START, tick=False):
        _endpoint, delivery = _failing_delivery(receiver, agency)
    attempts_at = []
    while delivery.status == Delivery.Status.PENDING:
        at = delivery.next_attempt_at
        with time_machine.travel(at, tick=False):
            assert delivery_attempt(delivery_id=delivery.pk) is not None
        attempts_at.append(at)
        delivery.refresh_from_db()
    assert attempts_at == policy.schedule(created_at=START)
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (
        "failed", 13, 500)
    assert len(receiver.requests) == 13
    assert len({r.body for r in receiver.requests}) == 1  # every retry repeats the body


def test_a_delivery_is_not_tried_before_it_is_due(receiver):
    agency = agency_offering()
    _endpoint, delivery = _failing_delivery(receiver, agency)
    assert delivery_attempt(delivery_id=delivery.pk) == "pending"
    assert delivery_attempt(delivery_id=delivery.pk) is None  # the next try is a minute away
    assert len(receiver.requests) == 1


def test_n_failures_in_a_row_disable_the_endpoint_and_tell_its_admins(
        receiver, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 3
    settings.LANGUAGE_CODE = "en"  # the stored reason is in the platform's language
    agency = agency_offering()
    staff = member_of(agency, role="staff")
    endpoint, first = _failing_delivery(receiver, agency)
    emit("sanction.listed", {"entry": 2}, organizations=[agency])
    emit("sanction.listed", {"entry": 3}, organizations=[agency])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for delivery in Delivery.objects.filter(endpoint=endpoint).order_by("id"):
            delivery_attempt(delivery_id=delivery.pk)
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert endpoint.disabled_reason == "3 deliveries in a row failed."
    assert set(Delivery.objects.values_list("status", flat=True)) == {"failed"}
    admin = user_of(agency)
    notice = Notification.objects.get(kind="webhooks.disabled")
    assert notice.user == admin
    assert not Notification.objects.filter(user=staff, kind="webhooks.disabled").exists()
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert endpoint.url in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="webhook.disabled").exists()
    # Nothing more is tried once disabled.
    assert delivery_attempt(delivery_id=first.pk) is None


def test_an_endpoint_failing_for_24_hours_is_disabled(receiver, settings):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 1000
    settings.LANGUAGE_CODE = "en"
    agency = agency_offering()
    with time_machine.travel(START, tick=False):
        endpoint, delivery = _failing_delivery(receiver, agency)
        delivery_attempt(delivery_id=delivery.pk)
    later = START + dt.timedelta(hours=24)
    with time_machine.travel(later, tick=False):
        emit("sanction.listed", {"entry": 2}, organizations=[agency])
        delivery_attempt(delivery_id=Delivery.objects.latest("id").pk)
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert endpoint.disabled_reason == "Every delivery has failed for 24 hours."
    assert endpoint.disabled_at == later


def test_a_success_starts_the_failure_count_afresh(receiver, settings):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 2
    agency = agency_offering()
    endpoint, delivery = _failing_delivery(receiver, agency, count=1)
    delivery_attempt(delivery_id=delivery.pk)
    emit("sanction.listed", {"entry": 2}, organizations=[agency])
    delivery_attempt(delivery_id=Delivery.objects.latest("id").pk)  # 200
    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.consecutive_failures, endpoint.failing_since) == (
        True, 0, None)
